package dev.v2pledger.replay.report;

import dev.v2pledger.replay.engine.Stats;
import dev.v2pledger.replay.kafka.AckIndex;
import dev.v2pledger.replay.kafka.ProjectedTopic;
import dev.v2pledger.schema.domain.SledId;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Counts of a replay and, from Kafka, apply latencies from the appliers' watermarks. */
public final class StatsReport {
  private StatsReport() {}

  /** p50/p90/p99/max of some latencies, in milliseconds. */
  public record Percentiles(long count, long p50, long p90, long p99, long max) {
    public static Percentiles of(long[] values) {
      if (values.length == 0) {
        return new Percentiles(0, 0, 0, 0, 0);
      }
      long[] sorted = values.clone();
      Arrays.sort(sorted);
      return new Percentiles(
          sorted.length,
          rank(sorted, 0.50),
          rank(sorted, 0.90),
          rank(sorted, 0.99),
          sorted[sorted.length - 1]);
    }

    private static long rank(long[] sorted, double q) {
      int index = (int) Math.ceil(q * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    @Override
    public String toString() {
      return String.format(
          "n=%d p50=%d ms p90=%d ms p99=%d ms max=%d ms", count, p50, p90, p99, max);
    }
  }

  /** Latencies from each event's log time: to {@code v2p.mappings}, to each sled, to all sleds. */
  public record Latencies(
      Percentiles projected,
      Map<SledId, Percentiles> perSled,
      Percentiles allSleds,
      long notYetEverywhere) {}

  public static Latencies latencies(ProjectedTopic topic, AckIndex acks) {
    return latencies(topic.all(), acks, acks.sleds());
  }

  /**
   * The same figures for some records only (e.g. those written during one run of a shared cluster),
   * applied on some sleds only (e.g. the sleds of that run).
   */
  public static Latencies latencies(
      java.util.List<ProjectedTopic.Arrival> records,
      AckIndex acks,
      java.util.Collection<SledId> onSleds) {
    int n = records.size();
    long[] projected = new long[n];
    long[] everywhere = new long[n];
    int complete = 0;
    Map<SledId, long[]> perSled =
        new java.util.TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    Map<SledId, Integer> perSledCount = new java.util.HashMap<>();
    for (SledId sled : onSleds) {
      perSled.put(sled, new long[n]);
      perSledCount.put(sled, 0);
    }
    for (int i = 0; i < n; i++) {
      ProjectedTopic.Arrival arrival = records.get(i);
      projected[i] = millis(arrival.eventTime(), arrival.written());
      long worst = -1;
      boolean all = !perSled.isEmpty();
      for (SledId sled : perSled.keySet()) {
        Instant at = acks.covered(sled, arrival.partition(), arrival.offset());
        if (at == null) {
          all = false;
          continue;
        }
        long latency = millis(arrival.eventTime(), at);
        int count = perSledCount.get(sled);
        perSled.get(sled)[count] = latency;
        perSledCount.put(sled, count + 1);
        worst = Math.max(worst, latency);
      }
      if (all) {
        everywhere[complete++] = worst;
      }
    }
    Map<SledId, Percentiles> sleds =
        new java.util.TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    perSled.forEach(
        (sled, values) ->
            sleds.put(sled, Percentiles.of(Arrays.copyOf(values, perSledCount.get(sled)))));
    return new Latencies(
        Percentiles.of(projected),
        sleds,
        Percentiles.of(Arrays.copyOf(everywhere, complete)),
        n - complete);
  }

  private static long millis(Instant from, Instant to) {
    return Duration.between(from, to).toMillis();
  }

  /**
   * The stats as text.
   *
   * @param refused records left out as the projector does (dead-lettered there), by reason
   */
  public static String text(
      Stats stats,
      long events,
      long instances,
      java.util.Map<String, Long> refused,
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
            total == 0 ? "" : " " + new java.util.TreeMap<>(refused) + " (see v2p.events.dlq)"));
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
      latencies
          .perSled()
          .forEach(
              (sled, p) -> out.append("  sled ").append(sled).append(": ").append(p).append('\n'));
    }
    return out.toString();
  }
}
