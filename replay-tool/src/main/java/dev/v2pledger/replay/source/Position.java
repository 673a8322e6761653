package dev.v2pledger.replay.source;

import dev.v2pledger.schema.domain.EventPosition;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Where a replayed event sits: its line in a file (0 when read from Kafka) and, when known, its
 * position in {@code v2p.events} (always from Kafka; from a file only if it is an export that kept
 * it).
 */
public record Position(long line, @Nullable EventPosition kafka) {

  public static Position ofKafka(EventPosition position) {
    return new Position(0, position);
  }

  public @Nullable Instant time() {
    return kafka == null ? null : kafka.timestamp();
  }

  /**
   * {@code 3:1042} for Kafka, {@code line 17} for a file, both when an export kept its position.
   */
  @Override
  public String toString() {
    if (kafka == null) {
      return "line " + line;
    }
    String at = kafka.partition() + ":" + kafka.offset();
    return line > 0 ? "line " + line + " (" + at + ")" : at;
  }
}
