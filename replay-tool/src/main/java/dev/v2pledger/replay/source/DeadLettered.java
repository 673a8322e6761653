package dev.v2pledger.replay.source;

import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.schema.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The events of {@code v2p.events} the projector dead-lettered, by the position each letter of
 * {@code v2p.events.dlq} names ({@code v2p.dlq.topic}, {@code v2p.dlq.partition}, {@code
 * v2p.dlq.offset}), read {@code read_committed} to its end: the projector writes a letter in the
 * transaction that commits its offset past the event, so a committed letter means it did not fold
 * that event. A reader that admits such an event anyway (its schema registered after the projector
 * read it, or a projector without Read on {@code v2p.schemas}) leaves it out, so that it folds what
 * the projector folded. What cannot be known (no topic, no Read ACL, letters deleted, letters that
 * name no position) is said by {@link #unknown}, never an error: the replay goes on. The positions
 * are kept compact ({@link LetterPositions}: ~9 bytes a letter), as the topic is read whole before
 * the events, whatever the command.
 */
public final class DeadLettered {
  /** Nothing dead-lettered, nothing unknown. */
  public static final DeadLettered NONE = new DeadLettered();

  static {
    NONE.positions.seal();
  }

  private final LetterPositions positions = new LetterPositions();
  private @Nullable String unknown;

  private DeadLettered() {}

  /**
   * Reads {@code v2p.events.dlq} on {@code kafka}: a missing topic or a refused read is {@link
   * #unknown}; any other failure (an unreachable broker) is the usual one-line error.
   */
  public static DeadLettered read(KafkaAccess kafka) {
    DeadLettered letters = new DeadLettered();
    long[] unplaced = {0};
    try {
      kafka.readToEnd(
          Topics.EVENTS_DLQ,
          letter -> {
            if (!letters.add(letter.headers())) {
              unplaced[0]++;
            }
            return true;
          });
    } catch (UsageException e) {
      if (KafkaErrors.cause(e, UnknownTopicOrPartitionException.class) != null) {
        letters.unknown = Topics.EVENTS_DLQ + " does not exist on " + kafka.bootstrapServers();
        return letters;
      }
      if (KafkaErrors.cause(e, AuthorizationException.class) != null) {
        letters.unknown = e.getMessage() + " (give this principal Read on it)";
        return letters;
      }
      throw e;
    } finally {
      letters.positions.seal();
    }
    StringBuilder deleted = new StringBuilder();
    kafka
        .startOffsets(Topics.EVENTS_DLQ)
        .forEach(
            (partition, start) -> {
              if (start > 0) {
                deleted.append(deleted.length() == 0 ? "" : ", ");
                deleted.append(partition).append(" (from ").append(start).append(')');
              }
            });
    if (deleted.length() > 0) {
      letters.unknown =
          Topics.EVENTS_DLQ
              + " no longer starts at offset 0 in partition(s) "
              + deleted
              + ": letters there were deleted";
    } else if (unplaced[0] > 0) {
      letters.unknown =
          unplaced[0]
              + " letter(s) of "
              + Topics.EVENTS_DLQ
              + " name no position in "
              + Topics.EVENTS
              + " ("
              + Topics.HEADER_DLQ_PARTITION
              + ", "
              + Topics.HEADER_DLQ_OFFSET
              + ")";
    }
    return letters;
  }

  /** Notes the position a letter names; false if it names none (or none that parses). */
  private boolean add(Headers headers) {
    String topic = text(headers.lastHeader(Topics.HEADER_DLQ_TOPIC));
    String partition = text(headers.lastHeader(Topics.HEADER_DLQ_PARTITION));
    String offset = text(headers.lastHeader(Topics.HEADER_DLQ_OFFSET));
    if (topic != null && !topic.equals(Topics.EVENTS)) {
      return true; // a letter of another events topic (a prefixed test set) sharing this one
    }
    if (partition == null || offset == null) {
      return false;
    }
    try {
      String reason = text(headers.lastHeader(Topics.HEADER_DLQ_REASON));
      positions.add(
          Integer.parseInt(partition),
          Long.parseLong(offset),
          reason == null ? "NO_REASON" : reason);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static @Nullable String text(@Nullable Header header) {
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * Why the projector refused the event at {@code partition}/{@code offset} ({@code
   * v2p.dlq.reason}), or null when no letter names it.
   */
  public @Nullable String reason(int partition, long offset) {
    return positions.reason(partition, offset);
  }

  /**
   * Why some events the projector dead-lettered may not be known here (no topic, a refused read,
   * letters deleted, letters naming no position), or null when every letter was read.
   */
  public @Nullable String unknown() {
    return unknown;
  }
}
