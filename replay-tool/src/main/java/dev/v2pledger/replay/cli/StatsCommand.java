package dev.v2pledger.replay.cli;

import dev.v2pledger.replay.engine.Replayer;
import dev.v2pledger.replay.engine.Stats;
import dev.v2pledger.replay.report.StatsReport;
import dev.v2pledger.replay.source.EventSource;
import dev.v2pledger.replay.source.Position;
import dev.v2pledger.replay.source.StopPoint;
import dev.v2pledger.runtime.cli.ConfigFileOption;
import dev.v2pledger.runtime.kafka.AckIndex;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.runtime.kafka.ProjectedTopic;
import dev.v2pledger.runtime.stats.Latencies;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description =
        "Counts by event type, ignored events by reason, migration outcomes; from Kafka also apply-latency percentiles from v2p.acks.")
final class StatsCommand implements Callable<Integer> {
  @Mixin SourceOptions source;

  @Mixin ConfigFileOption config = new ConfigFileOption();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Stats stats = new Stats();
    Replayer replayer = new Replayer().observe(stats);
    EventSource events = source.source();
    try (events) {
      SourceOptions.replay(events, replayer);
    }
    Map<String, Long> refused =
        new TreeMap<>(
            events.refusedByReason().isEmpty() && events.undecodable() > 0
                ? Map.of("UNDECODABLE", events.undecodable())
                : events.refusedByReason());
    events.deadLettered().forEach((reason, count) -> refused.merge(reason, count, Long::sum));
    ProjectedTopic topic = null;
    AckIndex acks = null;
    if (source.fromFile == null) {
      KafkaAccess kafka = source.kafka();
      topic = ProjectedTopic.read(kafka, key -> false, true);
      acks = AckIndex.read(kafka); // after the topic: every record read may be acked
    }
    // after every read: a failure reading the topics stays the only line on stderr
    SourceOptions.reportTruncated(events, spec.commandLine().getErr(), "stats");
    SourceOptions.reportDeadLettered(events, spec.commandLine().getErr(), "stats");
    source.noteIfNothingFolded(replayer, events, spec.commandLine().getErr(), "stats");
    Latencies latencies = null;
    if (topic != null && acks != null) {
      SourceOptions.reportUndecodable(topic, acks, spec.commandLine().getErr(), "stats");
      latencies = Latencies.of(causedUpTo(topic.all(), source.stop()), acks, acks.sleds());
    }
    spec.commandLine()
        .getOut()
        .print(
            StatsReport.text(
                stats, replayer.events(), replayer.states().size(), refused, latencies));
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * The records caused by events at or before the stop point ({@code --until-...}): the latencies
   * are of the log replayed, as the counts are.
   */
  private static List<ProjectedTopic.Arrival> causedUpTo(
      List<ProjectedTopic.Arrival> records, StopPoint stop) {
    if (stop.isNone()) {
      return records;
    }
    return records.stream().filter(r -> stop.includes(Position.ofKafka(r.cause()), null)).toList();
  }
}
