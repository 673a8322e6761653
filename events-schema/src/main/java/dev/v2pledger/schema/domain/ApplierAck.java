package dev.v2pledger.schema.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A watermark from one sled: its device matches every record of {@code v2p.mappings} partition
 * {@code partition} below {@code appliedThroughOffset} (exclusive), as of {@code time}.
 */
public record ApplierAck(SledId sledId, int partition, long appliedThroughOffset, Instant time) {
  public ApplierAck {
    Values.required(sledId, "sled id");
    Values.nonNegative(partition, "partition");
    Values.nonNegative(appliedThroughOffset, "applied_through_offset");
    Values.required(time, "time");
    time = time.truncatedTo(ChronoUnit.MILLIS); // as the schema holds it: timestamp-millis
    try {
      time.toEpochMilli();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "time " + time + " is out of range: it is held as milliseconds in a long");
    }
  }

  /** Whether this watermark covers the record at {@code offset} of the same partition. */
  public boolean covers(int partition, long offset) {
    return this.partition == partition && offset < appliedThroughOffset;
  }
}
