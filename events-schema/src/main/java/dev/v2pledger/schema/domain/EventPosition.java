package dev.v2pledger.schema.domain;

import java.time.Instant;

/** Where an event sits in {@code v2p.events}: partition, offset and log-append time. */
public record EventPosition(int partition, long offset, Instant timestamp) {
  public EventPosition {
    Values.nonNegative(partition, "partition");
    Values.nonNegative(offset, "offset");
    Values.required(timestamp, "timestamp");
  }

  @Override
  public String toString() {
    return partition + ":" + offset;
  }
}
