package dev.v2pledger.replay.source;

import dev.v2pledger.runtime.cli.UsageException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where a replay stops: {@code --until-offset P:O[,P:O...]} includes the named offset of each named
 * partition (other partitions are read to their end), {@code --until-time T} includes events with a
 * log time at or before T. For a file without kept positions, {@code --until-offset} names lines
 * ({@code L}, a bare number). Both may be given: an event must pass both.
 */
public record StopPoint(
    Map<Integer, Long> untilOffsets, @Nullable Long untilLine, @Nullable Instant untilTime) {
  public static final StopPoint NONE = new StopPoint(Map.of(), null, null);

  public StopPoint {
    untilOffsets = Map.copyOf(untilOffsets);
  }

  public static StopPoint parse(@Nullable String untilOffset, @Nullable String untilTime) {
    Map<Integer, Long> offsets = new HashMap<>();
    Long line = null;
    if (untilOffset != null) {
      for (String part : untilOffset.split(",", -1)) {
        String[] pieces = part.trim().split(":", -1);
        try {
          if (part.isBlank()) {
            throw new NumberFormatException("empty");
          } else if (pieces.length == 1) {
            if (line != null) {
              throw new UsageException("--until-offset: more than one line number");
            }
            line = nonNegative(Long.parseLong(pieces[0]));
            if (line == 0) {
              throw new UsageException(
                  "--until-offset: 0 is neither a line number (a file's lines start at 1) nor"
                      + " PARTITION:OFFSET");
            }
          } else if (pieces.length == 2) {
            int partition = (int) nonNegative(Integer.parseInt(pieces[0]));
            if (offsets.put(partition, nonNegative(Long.parseLong(pieces[1]))) != null) {
              throw new UsageException("--until-offset: partition " + partition + " twice");
            }
          } else {
            throw new NumberFormatException();
          }
        } catch (NumberFormatException e) {
          throw new UsageException(
              "--until-offset: '"
                  + part.trim()
                  + "' is not PARTITION:OFFSET (or a line number for a file)");
        }
      }
    }
    Instant time = null;
    if (untilTime != null) {
      try {
        time = OffsetDateTime.parse(untilTime).toInstant();
      } catch (DateTimeParseException e) {
        throw new UsageException(
            "--until-time: '"
                + untilTime
                + "' is not an RFC 3339 time (e.g. 2026-11-23T03:12:00Z)");
      }
    }
    if (line != null && !offsets.isEmpty()) { // one kind of file or the other
      throw new UsageException(
          "--until-offset: give PARTITION:OFFSET (a log or an export) or one line number (a file"
              + " without positions), not both");
    }
    return new StopPoint(offsets, line, time);
  }

  private static long nonNegative(long value) {
    if (value < 0) {
      throw new NumberFormatException("negative");
    }
    return value;
  }

  /**
   * Refuses a line number, which only a file has, for a replay of Kafka: checked before the first
   * record (otherwise the bound would be ignored, and the whole log replayed without a word).
   */
  public void checkForKafka() {
    if (untilLine != null) {
      throw new UsageException(
          "--until-offset: "
              + untilLine
              + " is a line number, which only a file has (give"
              + " PARTITION:OFFSET)");
    }
  }

  /**
   * Whether an event at {@code position} is at or before this stop point. An event's time is its
   * log time when known, else its {@code occurred_at}; an event with neither passes the time test.
   *
   * @throws UsageException when this stop point names offsets and the event is a line of a file
   *     that kept no Kafka positions (a line number for Kafka is refused before: {@link
   *     #checkForKafka})
   */
  public boolean includes(Position position, @Nullable Instant occurredAt) {
    if (!untilOffsets.isEmpty() && position.kafka() == null) {
      throw new UsageException(
          "--until-offset: PARTITION:OFFSET needs Kafka positions, and "
              + position
              + " of the file has none (give a line number)");
    }
    if (untilLine != null && position.line() > untilLine) {
      return false;
    }
    if (position.kafka() != null) {
      Long until = untilOffsets.get(position.kafka().partition());
      if (until != null && position.kafka().offset() > until) {
        return false;
      }
    }
    Instant time = position.kafka() != null ? position.kafka().timestamp() : occurredAt;
    return untilTime == null || time == null || !time.isAfter(untilTime);
  }

  public boolean isNone() {
    return untilOffsets.isEmpty() && untilLine == null && untilTime == null;
  }

  @Override
  public String toString() {
    if (isNone()) {
      return "end of log";
    }
    StringBuilder out = new StringBuilder();
    untilOffsets.forEach(
        (p, o) -> out.append(out.length() == 0 ? "" : ",").append(p).append(':').append(o));
    if (untilLine != null) {
      out.append(out.length() == 0 ? "" : ", ").append("line ").append(untilLine);
    }
    if (untilTime != null) {
      out.append(out.length() == 0 ? "" : ", ").append(untilTime);
    }
    return out.toString();
  }
}
