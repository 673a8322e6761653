package dev.v2pledger.applier.runner;

import dev.v2pledger.applier.reconcile.PassResult;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What an applier has done so far, as of its last loop iteration.
 *
 * @param snapshotRead snapshot records read
 * @param snapshotTotal records in the snapshot (offset span, so compacted gaps count)
 * @param passes full passes run
 * @param lastPass the last pass's result, null before the first
 * @param desiredVips VIPs with a record in the desired table
 * @param acked last published watermark per partition
 */
public record ApplierStatus(
    boolean snapshotComplete,
    long snapshotRead,
    long snapshotTotal,
    long passes,
    @Nullable PassResult lastPass,
    int desiredVips,
    Map<Integer, Long> acked) {

  public static final ApplierStatus STARTING = new ApplierStatus(false, 0, 0, 0, null, 0, Map.of());

  public ApplierStatus {
    acked = Map.copyOf(acked);
  }
}
