package dev.v2pledger.replay.cli;

import dev.v2pledger.replay.kafka.EventExporter;
import dev.v2pledger.runtime.cli.ConfigFileOption;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.Values;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    header = "Writes v2p.events to a JSON-lines file, each event's position kept.",
    description = {
      "Writes v2p.events as canonical JSON lines, partitions merged by log time (each partition's"
          + " order kept), with each event's position kept so that 'history --from-file' still"
          + " cites partition:offset.",
      "What the projector did not fold is left out and counted: records it refuses, and events v2p.events.dlq names."
    })
final class ExportCommand implements Callable<Integer> {
  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE.jsonl",
      description = "Where to write the export.")
  Path out;

  @Mixin KafkaAccessOptions kafkaOptions = new KafkaAccessOptions();

  @Mixin ConfigFileOption config = new ConfigFileOption();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Commands.checkWritable(out, true); // EventExporter writes beside it, then moves
    KafkaAccess kafka = kafkaOptions.access();
    EventExporter.Result result = EventExporter.export(kafka, out);
    if (result.spoolsRemoved() > 0) {
      spec.commandLine()
          .getErr()
          .printf(
              "export: removed %d spool(s) (.export-*) that killed exports had left beside %s%n",
              result.spoolsRemoved(), out);
    }
    spec.commandLine().getOut().printf("exported %,d event(s) to %s%n", result.events(), out);
    SourceOptions.reportTruncated( // no replay of the file can tell that they are missing
        result.truncatedStarts(),
        Topics.EVENTS + " on " + kafka.bootstrapServers(),
        "the export lacks those events",
        spec.commandLine().getErr(),
        "export");
    if (result.undecodable() > 0) {
      spec.commandLine()
          .getErr()
          .printf(
              "export: %,d record(s) are refused by the projector and not in the export %s (see"
                  + " v2p.events.dlq)%n",
              result.undecodable(), result.refused());
    }
    long deadLettered = result.deadLettered().values().stream().mapToLong(Long::longValue).sum();
    if (deadLettered > 0) {
      spec.commandLine()
          .getErr()
          .printf(
              "export: %,d event(s) decode here but the projector dead-lettered them %s and are"
                  + " not in the export (see v2p.events.dlq)%n",
              deadLettered, result.deadLettered());
    }
    if (result.deadLettersUnknown() != null) {
      spec.commandLine()
          .getErr()
          .println(
              "export: warning: "
                  + Values.printable(result.deadLettersUnknown(), 400)
                  + ": events the projector dead-lettered may not be known, and one that decodes"
                  + " here is in the export");
    }
    if (result.staleLetters() != null) {
      spec.commandLine().getErr().println("export: note: " + result.staleLetters());
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
