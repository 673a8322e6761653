package dev.v2pledger.replay.cli;

import dev.v2pledger.replay.engine.Replayer;
import dev.v2pledger.replay.engine.Stats;
import dev.v2pledger.replay.report.StatsReport;
import dev.v2pledger.replay.source.EventSource;
import dev.v2pledger.runtime.cli.ConfigFileOption;
import dev.v2pledger.runtime.kafka.AckIndex;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.runtime.kafka.ProjectedTopic;
import dev.v2pledger.runtime.stats.Latencies;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
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
    java.util.Map<String, Long> refused;
    try (EventSource events = source.source()) {
      SourceOptions.replay(events, replayer);
      SourceOptions.reportTruncated(events, spec.commandLine().getErr(), "stats");
      refused =
          events.refusedByReason().isEmpty() && events.undecodable() > 0
              ? java.util.Map.of("UNDECODABLE", events.undecodable())
              : events.refusedByReason();
    }
    Latencies latencies = null;
    if (source.fromFile == null) {
      KafkaAccess kafka = source.kafka();
      ProjectedTopic topic = ProjectedTopic.read(kafka, key -> false, true);
      AckIndex acks = AckIndex.read(kafka); // after the topic: every record read may be acked
      SourceOptions.reportUndecodable(topic, acks, spec.commandLine().getErr(), "stats");
      latencies = Latencies.of(topic, acks);
    }
    spec.commandLine()
        .getOut()
        .print(
            StatsReport.text(
                stats, replayer.events(), replayer.states().size(), refused, latencies));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
