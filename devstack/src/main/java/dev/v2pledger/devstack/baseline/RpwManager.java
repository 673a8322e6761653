package dev.v2pledger.devstack.baseline;

import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.Vni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An emulation of Omicron's V2P manager, learned from {@code nexus/src/app/background/
 * tasks/v2p_mappings.rs}, its driver ({@code nexus/src/app/background/driver.rs}) and the instance
 * sagas that activate it:
 *
 * <ul>
 *   <li>one task thread; an activation (a saga committed a location change) while a lap runs makes
 *       exactly one more lap ({@code tokio::sync::Notify::notify_one} keeps one permit); a timer
 *       also fires every period from the start (first tick at once; a tick missed during a lap
 *       fires right after it, then the period counts from there: {@code
 *       MissedTickBehavior::Delay});
 *   <li>a lap reads the authoritative locations once (the database's view: every NIC of every
 *       instance that has an active VMM, at that VMM's sled), then, sled after sled: lists its
 *       table (VNI 100 filtered out), computes the set differences on whole entries (VIP, MAC,
 *       underlay), deletes what is found but not desired, then adds what is desired but not found;
 *       one call per mapping; a moved VIP is therefore cleared and then set again; no generations;
 *       a failed call is logged and skipped;
 *   <li>each call costs {@code callLatency} (the Nexus -> sled agent HTTP round trip).
 * </ul>
 */
public final class RpwManager implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RpwManager.class);

  private final List<? extends Xde> sleds;
  private final Supplier<Collection<XdeMapping>> authoritative;
  private final Duration period;
  private final long callNanos;
  private final Set<Vni> excluded;
  private final LongSupplier nanoTime;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private final Thread thread;
  private final AtomicLong laps = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong failedCalls = new AtomicLong();
  private volatile long lastLapStartNanos = Long.MIN_VALUE;
  private volatile long lastLapEndNanos = Long.MIN_VALUE;
  private boolean permit;
  private volatile boolean running = true;

  /**
   * @param sleds every sled's device, in the order a lap visits them
   * @param authoritative the database's current view: the entry each VIP should have everywhere
   * @param period time between timer activations
   * @param callLatency cost of each call to a sled
   * @param excluded VNIs filtered out of listings (the services VNI)
   */
  public RpwManager(
      List<? extends Xde> sleds,
      Supplier<Collection<XdeMapping>> authoritative,
      Duration period,
      Duration callLatency,
      Set<Vni> excluded) {
    this.sleds = List.copyOf(sleds);
    this.authoritative = authoritative;
    this.period = period;
    this.callNanos = callLatency.toNanos();
    this.excluded = Set.copyOf(excluded);
    this.nanoTime = System::nanoTime;
    this.thread = new Thread(this::run, "rpw-v2p-manager");
    this.thread.setDaemon(true);
  }

  public RpwManager start() {
    thread.start();
    return this;
  }

  /** A saga committed a location change: run a lap now, or one more after the current one. */
  public void activate() {
    lock.lock();
    try {
      permit = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  public long laps() {
    return laps.get();
  }

  public long calls() {
    return calls.get();
  }

  public long failedCalls() {
    return failedCalls.get();
  }

  /** Whether a lap that started at or after {@code nanos} (System.nanoTime) has finished. */
  public boolean lapCompletedSince(long nanos) {
    return lastLapStartNanos >= nanos && lastLapEndNanos >= lastLapStartNanos;
  }

  private void run() {
    long nextTick = nanoTime.getAsLong(); // tokio's interval ticks at once
    while (running) {
      boolean byTimer;
      lock.lock();
      try {
        while (running && !permit && nanoTime.getAsLong() < nextTick) {
          wake.awaitNanos(nextTick - nanoTime.getAsLong());
        }
        if (!running) {
          return;
        }
        byTimer = nanoTime.getAsLong() >= nextTick;
        if (!byTimer) {
          permit = false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        lock.unlock();
      }
      if (byTimer) { // taken now; with MissedTickBehavior::Delay the next one is a period later
        nextTick = nanoTime.getAsLong() + period.toNanos();
      }
      lap();
    }
  }

  /** One activation of the task. */
  void lap() {
    lastLapStartNanos = nanoTime.getAsLong();
    Set<XdeMapping> desired = new HashSet<>(authoritative.get());
    for (Xde sled : sleds) {
      List<XdeMapping> listed;
      try {
        listed = call(sled::dump);
      } catch (RuntimeException e) {
        failedCalls.incrementAndGet();
        LOG.debug("rpw: unable to list the sled's mappings: {}", e.getMessage());
        continue;
      }
      Set<XdeMapping> found = new HashSet<>();
      for (XdeMapping entry : listed) {
        if (!excluded.contains(entry.vip().vni())) {
          found.add(entry);
        }
      }
      List<XdeMapping> toDelete = new ArrayList<>();
      for (XdeMapping entry : found) {
        if (!desired.contains(entry)) {
          toDelete.add(entry);
        }
      }
      List<XdeMapping> toAdd = new ArrayList<>();
      for (XdeMapping entry : desired) {
        if (!found.contains(entry)) {
          toAdd.add(entry);
        }
      }
      for (XdeMapping entry : toDelete) {
        run(() -> sled.clear(entry.vip()));
      }
      for (XdeMapping entry : toAdd) {
        run(() -> sled.set(entry));
      }
    }
    laps.incrementAndGet();
    lastLapEndNanos = nanoTime.getAsLong();
  }

  private <T> T call(Supplier<T> call) {
    pause();
    calls.incrementAndGet();
    return call.get();
  }

  private void run(Runnable call) {
    pause();
    calls.incrementAndGet();
    try {
      call.run();
    } catch (RuntimeException e) {
      failedCalls.incrementAndGet();
      LOG.debug("rpw: a call to a sled failed: {}", e.getMessage());
    }
  }

  private void pause() {
    if (callNanos > 0) {
      long until = nanoTime.getAsLong() + callNanos;
      long left;
      while ((left = until - nanoTime.getAsLong()) > 0) {
        LockSupport.parkNanos(left);
      }
    }
  }

  @Override
  public void close() {
    running = false;
    lock.lock();
    try {
      wake.signalAll();
    } finally {
      lock.unlock();
    }
    try {
      thread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
