package dev.v2pledger.devstack.cli;

import dev.v2pledger.ops.Cli;
import java.io.PrintStream;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
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
      "Options also come from the environment (V2P_<OPTION>, e.g. V2P_SLEDS) or from --config FILE",
      "(key = option name without dashes); Kafka client properties from --kafka-config FILE and",
      "V2P_KAFKA_<PROPERTY>."
    })
public final class DevstackMain implements Runnable {
  @Spec CommandSpec spec;

  private final Map<String, String> env;
  private final PrintStream progress;

  public DevstackMain() {
    this(System.getenv(), System.err);
  }

  /** A command reading {@code env}, writing progress to {@code progress}; for tests. */
  public DevstackMain(Map<String, String> env, PrintStream progress) {
    this.env = Map.copyOf(env);
    this.progress = progress;
  }

  public static void main(String[] args) {
    if (System.getenv("V2P_LOG_LEVEL") == null) {
      // eight appliers and a projector log every start and pass at info: keep the terminal for
      // devstack's own progress and report (V2P_LOG_LEVEL=info brings them back)
      Configurator.setLevel("dev.v2pledger", Level.WARN);
    }
    System.exit(Cli.run(new DevstackMain(), args));
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
