package dev.v2pledger.devstack.cli;

import dev.v2pledger.devstack.report.Exposure;
import dev.v2pledger.devstack.report.RunReport;
import dev.v2pledger.devstack.run.LedgerRun;
import dev.v2pledger.devstack.run.RunHooks;
import dev.v2pledger.devstack.stack.KafkaStack;
import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * {@code --stay}: after the report, the embedded broker stays up with the run's topics, so that the
 * replay tool can be tried on a real run's log ({@code verify}, {@code history}, {@code stats}),
 * until Enter or the end of the input; the sleds have stopped by then.
 */
final class StayOption {
  @Option(
      names = "--stay",
      description =
          "after the report, keep the embedded Kafka broker (the run's topics) up for the replay"
              + " tool until Enter")
  boolean stay;

  /** Refuses {@code --stay} where there is no embedded broker to keep. */
  void check(boolean externalKafka, boolean ledgerRunAlone) {
    if (stay && externalKafka) {
      throw new UsageException(
          "--stay keeps the embedded broker up; the run's topics stay in --bootstrap-servers' cluster"
              + " anyway: drop --stay",
          Cli.EXIT_USAGE);
    }
    if (stay && !ledgerRunAlone) {
      throw new UsageException(
          "--stay keeps the ledger run's broker: drop --baseline and --compare", Cli.EXIT_USAGE);
    }
  }

  /**
   * The run's hooks: none, or with {@code --stay}, {@code report} called with the report once it is
   * made, then the broker's address and replay-tool commands on {@code progress}, then a wait for a
   * line (or the end) of {@code input}.
   */
  RunHooks hooks(Consumer<RunReport> report, PrintStream progress, InputStream input) {
    if (!stay) {
      return RunHooks.NONE;
    }
    return new RunHooks() {
      @Override
      public void beforeTeardown(LedgerRun.Outcome outcome, KafkaStack kafka) {
        report.accept(outcome.report());
        progress.print(hint(kafka.bootstrapServers(), outcome.report()));
        progress.flush();
        awaitLine(input);
      }
    };
  }

  /** What a stay says: where Kafka is, and replay-tool commands to try on it. */
  static String hint(String bootstrap, RunReport report) {
    String tool = "  java -jar replay-tool/target/replay-tool.jar ";
    StringBuilder out = new StringBuilder();
    out.append("devstack: Kafka stays up at ")
        .append(bootstrap)
        .append(" with this run's topics; try the replay tool on them:\n");
    out.append(tool).append("verify --bootstrap-servers ").append(bootstrap).append('\n');
    out.append(tool).append("stats --bootstrap-servers ").append(bootstrap).append('\n');
    Exposure.Gap worst = report.exposure().worst();
    if (worst != null) { // the report's worst gap: what happened to that IP, and when
      out.append(tool)
          .append("history --bootstrap-servers ")
          .append(bootstrap)
          .append(" --ip ")
          .append(worst.vip())
          .append("   # the worst gap, from ")
          .append(worst.from().truncatedTo(ChronoUnit.MILLIS))
          .append('\n');
    }
    return out.append("devstack: press Enter to stop it\n").toString();
  }

  private static void awaitLine(InputStream input) {
    try {
      for (int read = input.read(); read >= 0 && read != '\n'; read = input.read()) {
        // until a line ends, or the input
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the input while staying", e);
    }
  }
}
