package dev.v2pledger.replay.cli;

import dev.v2pledger.replay.engine.Replayer;
import dev.v2pledger.replay.report.Verification;
import dev.v2pledger.replay.report.Verification.Difference;
import dev.v2pledger.replay.source.EventSource;
import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.ConfigFileOption;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.kafka.ProjectedTopic;
import dev.v2pledger.schema.domain.Vni;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Rebuilds the table from the log, then compares it with the live v2p.mappings topic and/or a sled's XDE table",
      "(the output of 'sled-applier xde dump --json'). Prints every difference; exit 0 when equal, 1 when they differ,",
      "2 when an input could not be read."
    })
final class VerifyCommand implements Callable<Integer> {
  @Mixin SourceOptions source;

  @Mixin ConfigFileOption config = new ConfigFileOption();

  @Option(
      names = "--xde-dump",
      paramLabel = "FILE",
      description = "A sled's XDE table, from 'sled-applier xde dump --json'.")
  @Nullable Path xdeDump;

  @Option(
      names = "--topic",
      negatable = true,
      description =
          "Compare with the live v2p.mappings (default: on when a Kafka cluster is given).")
  @Nullable Boolean topic;

  @Option(
      names = "--exclude-vni",
      split = Cli.COMMAS,
      splitSynopsisLabel = ",",
      paramLabel = "VNI",
      defaultValue = "100",
      description =
          "VNIs a sled's XDE table holds that the log does not manage (default: ${DEFAULT-VALUE}).")
  List<Vni> excluded = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    boolean compareTopic = topic != null ? topic : source.hasKafka();
    if (!compareTopic && xdeDump == null) {
      throw new UsageException(
          "nothing to compare with: give --bootstrap-servers (for v2p.mappings) and/or --xde-dump FILE");
    }
    List<Verification.XdeEntry> dump = xdeDump == null ? null : Verification.readXdeDump(xdeDump);
    Replayer replayer = new Replayer();
    String described;
    try (EventSource events = source.source()) {
      SourceOptions.replay(events, replayer);
      described = events.describe();
      SourceOptions.reportRefused(events, spec.commandLine().getErr(), "verify");
    }
    PrintWriter out = spec.commandLine().getOut();
    int differences = 0;
    if (compareTopic) {
      ProjectedTopic live = ProjectedTopic.read(source.kafka(), key -> false, false);
      String against = "v2p.mappings on " + source.kafka().bootstrapServers();
      List<Difference> found = Verification.againstTopic(replayer.table(), live.live());
      if (live.undecodable() == 0) {
        differences += print(out, against, described, found);
      } else { // held by every applier: its key's clears wait for it
        out.printf(
            "%s vs %s: %d record(s) that do not decode (every applier holds them and issues no"
                + " clear until they decode or are skipped), %d difference(s) among the others%n",
            described, against, live.undecodable(), found.size());
        found.forEach(out::println);
        differences += 1 + found.size();
      }
    }
    if (dump != null) {
      differences +=
          print(
              out,
              "XDE table " + xdeDump,
              described,
              Verification.againstXde(replayer.table(), dump, Set.copyOf(excluded)));
    }
    out.flush();
    return differences == 0 ? Cli.EXIT_OK : Cli.EXIT_FAILURE;
  }

  private static int print(
      PrintWriter out, String against, String source, List<Difference> differences) {
    out.printf(
        "%s vs %s: %s%n",
        source, against, differences.isEmpty() ? "equal" : differences.size() + " difference(s)");
    differences.forEach(out::println);
    return differences.size();
  }
}
