package dev.v2pledger.schema.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Where an event sits in {@code v2p.events}: partition, offset and log-append time (Kafka's, to the
 * millisecond: a finer timestamp is kept to the millisecond, as {@code V2PMapping.cause} holds it).
 */
public record EventPosition(int partition, long offset, Instant timestamp) {
  public EventPosition {
    Values.nonNegative(partition, "partition");
    Values.nonNegative(offset, "offset");
    Values.required(timestamp, "timestamp");
    timestamp = timestamp.truncatedTo(ChronoUnit.MILLIS);
    try {
      timestamp.toEpochMilli(); // as V2PMapping.cause holds it: timestamp-millis, a long
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "timestamp "
              + timestamp
              + " is out of range: a Kafka timestamp is milliseconds in a long");
    }
  }

  @Override
  public String toString() {
    return partition + ":" + offset;
  }
}
