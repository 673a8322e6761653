package dev.v2pledger.projector.cli;

import dev.v2pledger.runtime.cli.Cli;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code java -jar projector.jar <command>}: the projector's entry point. */
@Command(
    name = "projector",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description =
        "Folds v2p.events into each instance's location and publishes versioned V2P mappings to"
            + " v2p.mappings, exactly once.",
    subcommands = {RunCommand.class, InitTopicsCommand.class},
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  success (run stops cleanly on SIGTERM; the JVM then exits with 143)",
      "  1  a fatal error (topics missing or not co-partitioned, not authorized,",
      "     retries exhausted)",
      "  2  bad flags or values, unreadable files, unreachable broker (init-topics;",
      "     run retries it --max-retries times, then exits 1)",
      "",
      "Options also come from the environment (V2P_<OPTION>, e.g.",
      "V2P_BOOTSTRAP_SERVERS) or from --config FILE (key = option name without",
      "dashes); Kafka client properties from --kafka-config FILE and",
      "V2P_KAFKA_<PROPERTY> (V2P_KAFKA_SASL_JAAS_CONFIG)."
    })
public final class ProjectorMain implements Runnable {
  @Spec CommandSpec spec;

  private final Map<String, String> env;

  /** A command reading the real environment. */
  public ProjectorMain() {
    this(System.getenv());
  }

  /** A command reading {@code env} (Kafka settings {@code V2P_KAFKA_*}); for tests. */
  public ProjectorMain(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static void main(String[] args) {
    System.exit(Cli.run(new ProjectorMain(), args));
  }

  Map<String, String> env() {
    return env;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a command: run or init-topics");
  }
}
