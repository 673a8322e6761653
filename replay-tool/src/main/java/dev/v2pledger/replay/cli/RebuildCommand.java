package dev.v2pledger.replay.cli;

import dev.v2pledger.replay.engine.Replayer;
import dev.v2pledger.replay.report.RebuildReport;
import dev.v2pledger.replay.source.EventSource;
import dev.v2pledger.runtime.cli.ConfigFileOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "rebuild",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description =
        "The state at the end of the log (or at --until-...): instances and the V2P table in force.")
final class RebuildCommand implements Callable<Integer> {
  enum Format {
    table,
    json
  }

  @Mixin SourceOptions source;

  @Mixin ConfigFileOption config = new ConfigFileOption();

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "table (aligned columns) or json (default: ${DEFAULT-VALUE}).")
  Format format = Format.table;

  @Option(
      names = "--include-cleared",
      description = "Also list mappings whose newest record is CLEARED, with their state.")
  boolean includeCleared;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Replayer replayer = new Replayer();
    try (EventSource events = source.source()) {
      SourceOptions.replay(events, replayer);
      spec.commandLine()
          .getOut()
          .print(
              format == Format.json
                  ? RebuildReport.json(replayer, includeCleared) + "\n"
                  : RebuildReport.table(replayer, includeCleared));
      SourceOptions.reportRefused(events, spec.commandLine().getErr(), "rebuild");
      source.noteIfNothingFolded(replayer, events, spec.commandLine().getErr(), "rebuild");
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
