package dev.v2pledger.replay.cli;

import dev.v2pledger.runtime.cli.Cli;
import picocli.CommandLine.Command;

/** {@code java -jar replay-tool.jar <command>}: the replay tool's entry point. */
@Command(
    name = "replay-tool",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description =
        "Rebuilds what v2p-ledger believed from its event log, with the projector's own fold.",
    subcommands = {
      RebuildCommand.class,
      HistoryCommand.class,
      VerifyCommand.class,
      ExportCommand.class,
      PublishCommand.class,
      StatsCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  success (verify: the tables agree)",
      "  1  failure (verify: differences found)",
      "  2  unusable input: bad flags, unreadable file or line, unreachable broker"
    })
public final class ReplayToolMain implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(Cli.run(new ReplayToolMain(), args));
  }

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "name a command: rebuild, history, verify, export, publish or stats");
  }
}
