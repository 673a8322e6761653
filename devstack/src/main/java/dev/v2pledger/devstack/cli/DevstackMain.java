package dev.v2pledger.devstack.cli;

import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.LogLevels;
import dev.v2pledger.runtime.cli.UsageException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code java -jar devstack.jar run [options]}. */
@Command(
    name = "devstack",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description =
        "v2p-ledger on one machine: Kafka, projectors, simulated sleds, a seeded workload, an"
            + " independent oracle and a verdict.",
    subcommands = {RunCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  every sled ended right (no violation)",
      "  1  a violation, or the run failed",
      "  2  bad flags or values, unreachable broker or sled",
      "",
      "Options also come from the environment (V2P_<OPTION>, e.g. V2P_SLEDS) or from --config FILE"
          + " (key = option name without dashes); Kafka client properties from --kafka-config"
          + " FILE and V2P_KAFKA_<PROPERTY>."
    })
public final class DevstackMain implements Runnable {
  @Spec CommandSpec spec;

  private final Map<String, String> env;
  private final PrintStream progress;
  private final @Nullable RunLog log;
  private final InputStream input;

  /** A command reading {@code env}, writing progress to {@code progress}; for tests. */
  public DevstackMain(Map<String, String> env, PrintStream progress) {
    this(env, progress, InputStream.nullInputStream());
  }

  /** As above, {@code run --stay} waiting for a line of {@code input}; for tests. */
  public DevstackMain(Map<String, String> env, PrintStream progress, InputStream input) {
    this(env, progress, null, input);
  }

  /** As above, with the log file {@code main} set up (package-private: for tests). */
  DevstackMain(
      Map<String, String> env, PrintStream progress, @Nullable RunLog log, InputStream input) {
    this.env = Map.copyOf(env);
    this.progress = progress;
    this.log = log;
    this.input = input;
  }

  public static void main(String[] args) {
    // the broker, a projector and eight appliers log: keep the terminal for devstack's own
    // progress and report, and their lines in a file the run names
    RunLog log;
    try {
      LogLevels.check(System.getenv()); // before Log4j reads them
      log = RunLog.redirect(System.getenv());
    } catch (UsageException e) {
      System.err.println("devstack: " + e.getMessage());
      System.exit(e.exitCode());
      return;
    }
    // the embedded broker halts the JVM on a fatal fault: say so, in one line, before it does
    FatalExit.install(System.err, log, Runtime.getRuntime()::halt, status -> System.exit(status));
    int exit = Cli.run(new DevstackMain(System.getenv(), System.err, log, System.in), args);
    log.dropIfEmpty();
    System.exit(exit);
  }

  /** What {@code run --stay} reads a line of before it stops the broker. */
  InputStream input() {
    return input;
  }

  /** Where the process's log lines go, or null (in-process use: the caller's logging). */
  @Nullable RunLog log() {
    return log;
  }

  Map<String, String> env() {
    return env;
  }

  PrintStream progress() {
    return progress;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a command: run");
  }
}
