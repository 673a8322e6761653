package dev.v2pledger.applier.runner;

import dev.v2pledger.applier.reconcile.PassResult;
import org.jspecify.annotations.Nullable;

/**
 * What other threads (the admin endpoints, devstack, tests) see of the applier thread: the {@link
 * ApplierStatus} it publishes after each step, and why it is not ready. Written on the applier
 * thread, read from any.
 */
final class StatusBoard {
  private final LoopContext context;
  private final SnapshotReading snapshot;
  private volatile ApplierStatus status = ApplierStatus.STARTING;
  private volatile @Nullable String withheld;

  StatusBoard(LoopContext context, SnapshotReading snapshot) {
    this.context = context;
    this.snapshot = snapshot;
  }

  /**
   * Publishes the engine's state as of now (applier thread); {@code running} false once the applier
   * was asked to stop (never ready from then on).
   */
  void publish(boolean running) {
    ApplierEngine engine = context.engine();
    withheld = engine.withheld();
    long total = snapshot.total();
    status =
        new ApplierStatus(
            engine.snapshotComplete(),
            engine.snapshotComplete() ? total : context.metrics().snapshotRead.get(),
            total,
            engine.passes(),
            engine.lastPass(),
            engine.desired().size(),
            engine.publishedAcks());
    context.metrics().ready.set(running && readinessProblem() == null ? 1 : 0); // as /readyz
  }

  ApplierStatus status() {
    return status;
  }

  /**
   * Why the applier is not ready: waiting for Kafka or the topic, reading the snapshot, the first
   * pass pending, the last pass unable to read the device or with calls that failed (the table is
   * not known to be right), clears withheld; or null.
   */
  @Nullable String readinessProblem() {
    ApplierStatus now = status;
    String waiting = snapshot.waitingFor();
    if (waiting != null) {
      return waiting;
    }
    if (!now.snapshotComplete()) {
      return "reading the snapshot: " + snapshot.progress(now.snapshotRead());
    }
    PassResult last = now.lastPass();
    if (last == null) {
      return "waiting for the first reconcile pass";
    }
    if (last.dumpError() != null || last.failed() > 0) {
      return "the last pass did not bring the device to the desired table (the next pass retries): "
          + last;
    }
    return withheld;
  }
}
