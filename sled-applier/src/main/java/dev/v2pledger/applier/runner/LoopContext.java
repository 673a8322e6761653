package dev.v2pledger.applier.runner;

import dev.v2pledger.schema.domain.SledId;

/**
 * What the parts of the applier thread share: its configuration, the engine, the meters and the
 * pass schedule. {@link ApplierLoop} builds it once and hands it to each part ({@link HeldRecords},
 * {@link AddedPartitions}, {@link WatermarkAcks}, {@link SnapshotReading}, {@link StatusBoard}), so
 * these four travel as one value instead of being passed and kept one by one in every part.
 */
record LoopContext(
    ApplierConfig config, ApplierEngine engine, ApplierMetrics metrics, PassSchedule passes) {

  /** The sled this applier runs for, as its log lines name it. */
  SledId sledId() {
    return config.sledId();
  }
}
