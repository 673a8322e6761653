package dev.v2pledger.applier.runner;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * When the applier thread runs a full pass: once the snapshot is complete, every reconcile interval
 * and as soon as it can when one is requested (a request during a pass makes exactly one more); and
 * so how long a poll may wait. {@link #request} may be called from any thread (it does not wake the
 * poll: {@link ApplierLoop} does); the rest runs on the applier thread.
 */
final class PassSchedule {
  private static final Duration MAX_POLL = Duration.ofMillis(500);

  private final ApplierEngine engine;
  private final Duration interval;
  private final AtomicBoolean requested = new AtomicBoolean();
  private long nextPassDue;

  PassSchedule(ApplierEngine engine, Duration interval) {
    this.engine = engine;
    this.interval = interval;
  }

  /** Asks for a pass as soon as possible (a trigger, the snapshot read, the end of a hold). */
  void request() {
    requested.set(true);
  }

  /** Runs a pass when one is requested or due; never before the snapshot is complete. */
  void maybeReconcile() {
    if (!engine.snapshotComplete()) {
      return;
    }
    boolean wasRequested = requested.getAndSet(false);
    if (wasRequested || System.nanoTime() - nextPassDue >= 0) {
      engine.reconcile();
      nextPassDue = System.nanoTime() + interval.toNanos();
    }
  }

  /**
   * How long the next poll may wait: not at all when a pass is requested, never past one due. A
   * request during the snapshot waits for its end (no pass runs before it), so it does not shorten
   * the polls of the snapshot, which would then spin.
   */
  Duration pollTimeout() {
    if (!engine.snapshotComplete()) {
      return MAX_POLL;
    }
    if (requested.get()) {
      return Duration.ZERO;
    }
    long untilPass = nextPassDue - System.nanoTime();
    return Duration.ofNanos(Math.max(0, Math.min(untilPass, MAX_POLL.toNanos())));
  }
}
