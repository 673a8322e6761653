package dev.v2pledger.applier.runner;

import dev.v2pledger.applier.flows.FlowMetrics;
import dev.v2pledger.applier.flows.TrackedXde;
import dev.v2pledger.applier.reconcile.PassResult;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.runtime.kafka.KafkaErrors;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sled's applier, embeddable: {@link #start} it with a device and a registry, {@link
 * #requestReconcile} when a port was created or destroyed, {@link #close} it. One thread reads
 * {@code v2p.mappings}, applies deltas, runs passes (every interval and on request; a request
 * during a pass schedules exactly one more) and publishes acks, so all of that is serialized.
 * Device errors never stop it; fatal Kafka errors do ({@link #failure}).
 */
public final class SledApplier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SledApplier.class);
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);

  private final ApplierConfig config;
  private final ApplierMetrics metrics;
  private final ApplierEngine engine;
  private final ApplierLoop loop;
  private final Thread thread;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SledApplier(ApplierConfig config, Xde xde, MeterRegistry registry) {
    this.config = config;
    this.metrics = new ApplierMetrics(registry, config.sledId().toString());
    TrackedXde tracked = new TrackedXde(new MeteredXde(xde, registry, metrics.tags));
    this.engine = new ApplierEngine(tracked, config.excludedVnis(), metrics, System::nanoTime);
    this.loop =
        new ApplierLoop(config, engine, metrics, tracked, new FlowMetrics(registry, metrics.tags));
    // any call's device-wide failure stops the acks; the device answering again (maybe a new one,
    // empty) asks for a pass
    tracked.onDevice(engine::deviceWideFailure, loop::requestReconcile);
    this.thread = new Thread(loop, "sled-applier-" + config.sledId());
    this.thread.setDaemon(true);
  }

  /**
   * Starts an applier on its own thread. The device is not closed by the applier: whoever opened it
   * closes it.
   */
  public static SledApplier start(ApplierConfig config, Xde xde, MeterRegistry registry) {
    SledApplier applier = new SledApplier(config, xde, registry);
    applier.thread.start();
    return applier;
  }

  public ApplierConfig config() {
    return config;
  }

  /** Asks for a full pass as soon as possible; several requests during one pass make one more. */
  public void requestReconcile() {
    loop.requestReconcile();
  }

  /**
   * An operator gives up on a record held undecodable at {@code partition}/{@code offset} of {@code
   * v2p.mappings}: it is never applied, and when nothing else is held clears resume. Answers what
   * was done ("skipped ...", or "not held: ..."), from the applier's thread.
   */
  public CompletableFuture<String> skip(int partition, long offset) {
    return loop.skip(partition, offset);
  }

  /**
   * Why this applier is not ready (reading the snapshot, first pass pending, the last pass failed,
   * stopping or stopped), or null.
   */
  public @Nullable String readinessProblem() {
    String stopped = stoppedProblem();
    return stopped != null ? stopped : loop.readinessProblem();
  }

  /** Why this applier no longer works (its thread stopped), or null while it does. */
  public @Nullable String livenessProblem() {
    Throwable failure = loop.failure();
    if (failure != null) {
      return "stopped: " + KafkaErrors.rootMessage(failure);
    }
    if (!thread.isAlive() && !closed.get()) {
      return "the applier thread stopped";
    }
    return null;
  }

  /**
   * Whether it was closed and its thread has ended without a failure: a skip asked now is answered
   * at once, "not done", naming the record it did not skip.
   */
  public boolean stoppedByClose() {
    return closed.get() && !thread.isAlive() && loop.failure() == null;
  }

  /**
   * Why this applier does no more work (no pass, no skip): a failure stopped it, it was closed
   * (stopping or stopped), or its thread ended; null while it runs. Unlike {@link
   * #livenessProblem}, a close counts.
   */
  public @Nullable String stoppedProblem() {
    String dead = livenessProblem();
    if (dead != null) {
      return dead;
    }
    if (closed.get()) {
      return thread.isAlive() ? "stopping" : "stopped";
    }
    return null;
  }

  public boolean isReady() {
    return readinessProblem() == null;
  }

  /** What stopped the applier (a fatal Kafka error or a bug), or null. */
  public @Nullable Throwable failure() {
    return loop.failure();
  }

  /** A consistent view for tests, devstack and the admin endpoint. */
  public ApplierStatus status() {
    return loop.status();
  }

  /** The last pass's result, or null before the first. */
  public @Nullable PassResult lastPass() {
    return loop.status().lastPass();
  }

  /** Waits until the applier thread ends (after {@link #close} or a fatal error). */
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    thread.join(Math.max(1, timeout.toMillis()));
    return !thread.isAlive();
  }

  /** Stops the thread and its Kafka clients; the device keeps its table. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    loop.stop();
    try {
      thread.join(JOIN_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.warn("sled applier {} did not stop within {}", config.sledId(), JOIN_TIMEOUT);
    } else {
      LOG.info("sled {}: applier stopped", config.sledId());
    }
  }
}
