package dev.v2pledger.schema.domain;

import java.time.Instant;

/**
 * Where an event sits in {@code v2p.events}: partition, offset and log-append time (Kafka's, to the
 * millisecond: a finer timestamp is kept to the millisecond, as {@code V2PMapping.cause} holds it).
 */
public record EventPosition(int partition, long offset, Instant timestamp) {
  public EventPosition {
    Values.nonNegative(partition, "partition");
    Values.nonNegative(offset, "offset");
    timestamp = Values.millis(timestamp, "timestamp"); // as V2PMapping.cause holds it
  }

  @Override
  public String toString() {
    return partition + ":" + offset;
  }
}
