package dev.v2pledger.replay.source;

import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The events of {@code v2p.events} the projector dead-lettered, by the position each letter of
 * {@code v2p.events.dlq} names ({@code v2p.dlq.topic}, {@code v2p.dlq.partition}, {@code
 * v2p.dlq.offset}) and its record's timestamp ({@code v2p.dlq.timestamp}), read {@code
 * read_committed} to its end: the projector writes a letter in the transaction that commits its
 * offset past the event, so a committed letter means it did not fold that event. A letter counts
 * only for the record it was written for: at its position, with its timestamp (log-append time).
 * One whose record is not there any more ({@code v2p.events} made again since, another record at
 * its position; or records deleted) leaves nothing out; {@link #stale} counts them. A reader that
 * admits such an event anyway (its schema registered after the projector read it, or a projector
 * without Read on {@code v2p.schemas}) leaves it out, so that it folds what the projector folded.
 * What cannot be known (no topic, no Read ACL, letters deleted, letters that name no position) is
 * said by {@link #unknown}, never an error: the replay goes on. The positions are kept compact
 * ({@link LetterPositions}: ~17 bytes a letter), as the topic is read whole before the events,
 * whatever the command.
 */
public final class DeadLettered {
  /** Nothing dead-lettered, nothing unknown. */
  public static final DeadLettered NONE = new DeadLettered();

  static {
    NONE.positions.seal();
  }

  private final LetterPositions positions = new LetterPositions();
  private @Nullable String unknown;

  DeadLettered() {}

  /** The letters read so far (tests seal them). */
  LetterPositions positions() {
    return positions;
  }

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
  boolean add(Headers headers) {
    String topic = text(headers.lastHeader(Topics.HEADER_DLQ_TOPIC));
    String partition = text(headers.lastHeader(Topics.HEADER_DLQ_PARTITION));
    String offset = text(headers.lastHeader(Topics.HEADER_DLQ_OFFSET));
    String timestamp = text(headers.lastHeader(Topics.HEADER_DLQ_TIMESTAMP));
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
          time(timestamp),
          reason == null ? "NO_REASON" : reason);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * A letter's {@code v2p.dlq.timestamp}; {@link LetterPositions#ANY_TIME} when it has none, or one
   * that does not parse (no projector writes such): it counts for the record at its position.
   */
  private static long time(@Nullable String timestamp) {
    if (timestamp == null) {
      return LetterPositions.ANY_TIME;
    }
    try {
      return Long.parseLong(timestamp.trim());
    } catch (NumberFormatException e) {
      return LetterPositions.ANY_TIME;
    }
  }

  private static @Nullable String text(@Nullable Header header) {
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * Why the projector refused {@code record} of {@code v2p.events} ({@code v2p.dlq.reason}), or
   * null when no letter was written for it (none names its position, or those that do name another
   * record: another timestamp). Each record once a read: letters found are counted for {@link
   * #stale}.
   */
  public @Nullable String reason(ConsumerRecord<byte[], byte[]> record) {
    return positions.reason(record.partition(), record.offset(), record.timestamp());
  }

  /**
   * One line on the letters whose record is not in {@code v2p.events} any more, after a read that
   * asked {@link #reason} for each record from each partition's start ({@code starts}) up to its
   * {@code cut}, of a log ending at {@code ends}: they left nothing out. Null when there is none.
   */
  public @Nullable String stale(
      Map<Integer, Long> starts, Map<Integer, Long> cut, Map<Integer, Long> ends) {
    LetterPositions.Stale stale = positions.stale(starts, cut, ends);
    if (stale.total() == 0) {
      return null;
    }
    List<String> how = new ArrayList<>();
    if (stale.other() > 0) {
      how.add(stale.other() + " with another record at its position");
    }
    if (stale.pastEnd() > 0) {
      how.add(stale.pastEnd() + " past its end");
    }
    if (stale.beforeStart() > 0) {
      how.add(stale.beforeStart() + " before its start");
    }
    return stale.total()
        + " letter(s) of "
        + Topics.EVENTS_DLQ
        + " name a record no longer in "
        + Topics.EVENTS
        + " ("
        + String.join(", ", how)
        + "): they leave nothing out (the topic was made again, or records deleted, since they"
        + " were written)";
  }

  /**
   * Why some events the projector dead-lettered may not be known here (no topic, a refused read,
   * letters deleted, letters naming no position), or null when every letter was read.
   */
  public @Nullable String unknown() {
    return unknown;
  }
}
