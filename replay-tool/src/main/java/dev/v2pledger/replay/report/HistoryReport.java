package dev.v2pledger.replay.report;

import dev.v2pledger.replay.engine.HistoryEntry;
import dev.v2pledger.replay.kafka.RecordTrace;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Values;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** The text form of a history: one block per event, oldest first. */
public final class HistoryReport {
  private HistoryReport() {}

  /**
   * @param traces how each emitted record travelled (Kafka sources only), or a function returning
   *     null
   */
  public static String text(
      String subject,
      String source,
      List<HistoryEntry> entries,
      Function<V2PMapping, @Nullable RecordTrace> traces) {
    StringBuilder out = new StringBuilder();
    out.append("history of ")
        .append(subject)
        .append(": ")
        .append(entries.size())
        .append(" event(s) from ")
        .append(source)
        .append('\n');
    for (HistoryEntry entry : entries) {
      out.append('\n').append('[').append(entry.position()).append("] ");
      Instant time = time(entry);
      out.append(time == null ? "-" : time.toString());
      if (entry.event().source() != null) {
        out.append(' ').append(Values.printable(entry.event().source(), 256)); // one line
      }
      out.append(' ').append(Describe.payload(entry.event().payload())).append('\n');
      out.append("    decision: ").append(entry.decision()).append('\n');
      for (V2PMapping record : entry.records()) {
        out.append("    emitted:  ").append(Describe.record(record)).append('\n');
        RecordTrace trace = traces.apply(record);
        if (trace != null) {
          out.append("              ").append(traceLine(trace)).append('\n');
        }
      }
    }
    return out.toString();
  }

  static String traceLine(RecordTrace trace) {
    StringBuilder line =
        new StringBuilder("reached v2p.mappings ")
            .append(trace.arrival().partition())
            .append(':')
            .append(trace.arrival().offset())
            .append(" at ")
            .append(trace.arrival().written())
            .append(" (")
            .append(Describe.millis(trace.projectionLatency()))
            .append(")");
    if (trace.applied().isEmpty() && trace.unknown().isEmpty()) {
      return line.append("; no sled has acked it yet").toString();
    }
    line.append("; applied:");
    for (Map.Entry<SledId, Instant> applied : trace.applied().entrySet()) {
      Duration latency = trace.latency(applied.getKey());
      line.append(" sled ")
          .append(applied.getKey())
          .append(' ')
          .append(Describe.millis(latency))
          .append(',');
    }
    for (SledId sled : trace.unknown()) {
      line.append(" sled ").append(sled).append(" time unknown (acks no longer retained),");
    }
    line.setLength(line.length() - 1);
    return line.toString();
  }

  /** The event's log time, or the publisher's time when the log time is not known. */
  static @Nullable Instant time(HistoryEntry entry) {
    Instant logTime = entry.position().time();
    return logTime != null ? logTime : entry.event().occurredAt();
  }
}
