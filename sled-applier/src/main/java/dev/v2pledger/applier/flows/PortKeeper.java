package dev.v2pledger.applier.flows;

import dev.v2pledger.applier.reconcile.Desired;
import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.XdeException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The applier thread's work on XDE's ports, between polls of {@code v2p.mappings}: {@link #poll}
 * lists the ports every poll interval and asks for a pass when the set changed ({@link PortWatch};
 * a flush's own list is watched too); after the pass, {@link #flush} clears the UFTs of the ports
 * in the VNIs written since the last flush ({@link FlowInvalidation}). Flushes are at most one per
 * clear window for the whole sled, so each port's table is cleared at most once per window. Both
 * only after the snapshot is complete (the caller sees to it). A change asks for a pass at once and
 * one more at the first poll after that pass has run (with polling off, at the step after it), for
 * a side effect that lands just after ListPorts shows the change: the caller runs the pass asked
 * for before the next flush, and asks made before a pass runs make one pass. A flush lists the
 * ports itself, after the step's writes: a port created before that list is in it and cleared, one
 * created after it sets its flows up with the entries already written (the poll's list, taken
 * before the pass, would miss a port created during it). Failures are counted and logged and never
 * stop the applier or touch a mapping.
 */
public final class PortKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(PortKeeper.class);

  /** After a failed ListPorts, the next flush waits at least this (a 0 s window would spin). */
  private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final TrackedXde xde;
  private final FlowSettings settings;
  private final FlowMetrics metrics;
  private final Runnable requestPass;
  private final LongSupplier nanoTime;
  private final FlowInvalidation invalidation;
  private final PortWatch watch = new PortWatch();
  private final Due nextPoll;
  private final Due nextFlush;
  private boolean listFailing;

  /** A change asked for a pass that has not run yet: its follow-up is armed at the next flush. */
  private boolean passAsked;

  /** The pass a change asked for has run: one more at the next poll (polling off: next step). */
  private boolean followUp;

  /**
   * @param xde the device as the engine writes it: its writes say which VNIs changed
   * @param requestPass asks the applier thread for a full pass
   */
  public PortKeeper(
      TrackedXde xde,
      Desired desired,
      FlowSettings settings,
      FlowMetrics metrics,
      Runnable requestPass,
      LongSupplier nanoTime) {
    this.xde = xde;
    this.settings = settings;
    this.metrics = metrics;
    this.requestPass = requestPass;
    this.nanoTime = nanoTime;
    this.invalidation = new FlowInvalidation(xde, new PortVnis(desired), metrics);
    long start = nanoTime.getAsLong();
    this.nextPoll = new Due(start);
    this.nextFlush = new Due(start);
  }

  /** Lists the ports when a poll is due; a port created or destroyed since asks for a pass. */
  public void poll() {
    if (!settings.pollsPorts()) {
      followUpPass(); // no poll to wait for: at this step
      return;
    }
    if (!nextPoll.take(nanoTime.getAsLong(), settings.portPoll())) {
      return;
    }
    followUpPass();
    List<PortInfo> ports = list();
    metrics.polls.increment();
    if (ports != null) {
      invalidation.observe(ports);
    }
  }

  /** The pass after the one a change asked for, if one did: see {@link #list}. */
  private void followUpPass() {
    if (followUp) {
      followUp = false;
      requestPass.run();
    }
  }

  /** Clears the UFTs owed, unless the last flush was less than a clear window ago. */
  public void flush() {
    if (passAsked) { // the caller ran the pass asked for before this flush: arm its follow-up
      passAsked = false;
      followUp = true;
    }
    flushOwed(false);
  }

  /**
   * The flush owed when the applier stops, whatever the clear window: a change written (and acked)
   * whose flush the window deferred would otherwise die with the process, its flows stale until the
   * next process has read its snapshot (its first flush clears every port), or for good if none is
   * started. Costs at most one clear per port more than the window allows, once a stop.
   */
  public void flushBeforeStop() {
    flushOwed(true);
  }

  private void flushOwed(boolean whateverTheWindow) {
    if (!settings.invalidate()) {
      xde.drainChanged();
      return;
    }
    invalidation.changed(xde.drainChanged());
    if (!invalidation.hasWork()) {
      return;
    }
    long now = nanoTime.getAsLong();
    if (!whateverTheWindow && !nextFlush.take(now, settings.clearWindow())) {
      return;
    }
    List<PortInfo> ports = list(); // after the step's writes: see the class comment
    if (ports != null) {
      invalidation.flush(ports);
    } else {
      nextFlush.set(now + Math.max(settings.clearWindow().toNanos(), RETRY_NANOS));
    }
  }

  /** How long the applier thread may wait before a poll or a flush is due. */
  public long nanosUntilDue() {
    long now = nanoTime.getAsLong();
    long until = Long.MAX_VALUE;
    if (settings.pollsPorts()) {
      until = nextPoll.nanosLeft(now);
    }
    if (settings.invalidate() && (invalidation.hasWork() || xde.hasChanged())) {
      until = Math.min(until, nextFlush.nanosLeft(now));
    }
    return Math.max(0, until);
  }

  /** ListPorts; a changed set of ports asks for a pass. Null when the call failed. */
  private @Nullable List<PortInfo> list() {
    List<PortInfo> ports;
    try {
      ports = xde.listPorts();
    } catch (XdeException e) {
      metrics.pollFailures.increment();
      if (!listFailing) {
        LOG.warn(
            "cannot list XDE's ports (retried; logged again once it works): {}", e.getMessage());
        listFailing = true;
      }
      return null;
    }
    if (listFailing) {
      LOG.info("listing XDE's ports works again");
      listFailing = false;
    }
    metrics.ports.set(ports.size());
    if (watch.changed(ports)) {
      metrics.portChanges.increment();
      LOG.debug("XDE's ports changed ({} now): a pass repairs their side effects", ports.size());
      requestPass.run();
      // and one more at the first poll after that pass has run: a side effect may land just after
      // ListPorts shows the port (or stops showing it), too late for the pass that runs now. Asked
      // for before it has run, the two requests would make one pass
      passAsked = true;
      followUp = false;
    }
    return ports;
  }

  /** When a poll or a flush is next due, in {@code nanoTime}'s terms (compared overflow-safe). */
  private static final class Due {
    private long at;

    Due(long at) {
      this.at = at;
    }

    /** Whether it is due at {@code now}; if so, the next one is {@code every} after now. */
    boolean take(long now, Duration every) {
      if (now - at < 0) {
        return false;
      }
      at = now + every.toNanos();
      return true;
    }

    void set(long at) {
      this.at = at;
    }

    long nanosLeft(long now) {
      return at - now;
    }
  }
}
