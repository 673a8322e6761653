package dev.v2pledger.replay.report;

import dev.v2pledger.replay.engine.Stats;
import dev.v2pledger.runtime.stats.Latencies;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** Counts of a replay and, from Kafka, apply latencies from the appliers' watermarks. */
public final class StatsReport {
  private StatsReport() {}

  /**
   * The stats as text.
   *
   * @param refused records left out as the projector does (dead-lettered there), by reason
   */
  public static String text(
      Stats stats,
      long events,
      long instances,
      Map<String, Long> refused,
      @Nullable Latencies latencies) {
    StringBuilder out = new StringBuilder();
    long total = refused.values().stream().mapToLong(Long::longValue).sum();
    out.append(
        String.format(
            "events: %,d  instances: %,d  records emitted: %,d  refused: %,d%s%n",
            events,
            instances,
            stats.records(),
            total,
            total == 0 ? "" : " " + new TreeMap<>(refused) + " (see v2p.events.dlq)"));
    TextTable types = new TextTable("EVENT TYPE", "COUNT");
    stats.byType().forEach((type, count) -> types.row(type, count));
    out.append('\n').append(types);
    TextTable ignored = new TextTable("IGNORED REASON", "COUNT");
    stats.ignored().forEach((reason, count) -> ignored.row(reason, count));
    out.append('\n').append(ignored.size() == 0 ? "nothing ignored\n" : ignored.toString());
    TextTable outcomes = new TextTable("MIGRATION OUTCOME", "COUNT");
    stats.outcomes().forEach((outcome, count) -> outcomes.row(outcome, count));
    out.append('\n').append(outcomes.size() == 0 ? "no migrations\n" : outcomes.toString());
    out.append(
        String.format(
            "(%d resolved implicitly by a later placement or migration)%n",
            stats.implicitResolutions()));
    if (latencies != null) {
      out.append("\nlatency from event log time\n");
      out.append("  to v2p.mappings:      ").append(latencies.projected()).append('\n');
      out.append("  applied on all sleds: ").append(latencies.allSleds());
      out.append(
              latencies.notYetEverywhere() > 0
                  ? String.format(
                      " (%d record(s) not yet on every sled)", latencies.notYetEverywhere())
                  : "")
          .append('\n');
      if (latencies.acksLost() > 0) {
        out.append(
            String.format(
                "  left out: %d (record, sled) sample(s) whose apply time is unknown (acks no longer"
                    + " retained in v2p.acks)%n",
                latencies.acksLost()));
      }
      latencies
          .perSled()
          .forEach(
              (sled, p) -> out.append("  sled ").append(sled).append(": ").append(p).append('\n'));
    }
    return out.toString();
  }
}
