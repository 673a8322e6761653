package dev.v2pledger.schema.domain;

import java.time.Instant;

/**
 * A watermark from one sled: its device matches every record of {@code v2p.mappings} partition
 * {@code partition} below {@code appliedThroughOffset} (exclusive), as of {@code time}.
 */
public record ApplierAck(SledId sledId, int partition, long appliedThroughOffset, Instant time) {
  public ApplierAck {
    Values.required(sledId, "sled id");
    Values.nonNegative(partition, "partition");
    Values.nonNegative(appliedThroughOffset, "applied_through_offset");
    time = Values.millis(time, "time"); // as the schema holds it: timestamp-millis
  }

  /** Whether this watermark covers the record at {@code offset} of the same partition. */
  public boolean covers(int partition, long offset) {
    return this.partition == partition && offset < appliedThroughOffset;
  }
}
