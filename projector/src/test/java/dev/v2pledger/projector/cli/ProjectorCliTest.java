package dev.v2pledger.projector.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.runtime.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line without a broker: help, and every mistake as one line with exit code 2. */
class ProjectorCliTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    return Cli.run(
        new ProjectorMain(env), args, env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void helpOnEveryCommand() {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(run(Map.of(), "run", "--help")).isZero();
    assertThat(run(Map.of(), "init-topics", "--help")).isZero();
    assertThat(out.toString())
        .contains("Commands:")
        .contains("--max-tx-age=DURATION")
        .contains("--replication-factor=N")
        .contains("Exit codes:");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void noCommandIsAUsageError() {
    assertThat(run(Map.of())).isEqualTo(Cli.EXIT_USAGE);
    assertThat(err.toString().strip())
        .isEqualTo("projector: name a command: run or init-topics (see --help)");
  }

  @Test
  void badValuesAreOneLineWithExitCode2() {
    assertThat(run(Map.of(), "run", "--bootstrap-servers", "k:1", "--max-tx-records", "0"))
        .isEqualTo(Cli.EXIT_USAGE);
    assertThat(run(Map.of(), "run", "--bootstrap-servers", "k:1", "--max-tx-age", "soon"))
        .isEqualTo(Cli.EXIT_USAGE);
    assertThat(run(Map.of(), "run", "--bootstrap-servers", "k:1", "--instance-id", "a b"))
        .isEqualTo(Cli.EXIT_USAGE);
    assertThat(run(Map.of(), "run", "--bootstrap-servers", "k:1", "--metrics-port", "70000"))
        .isEqualTo(Cli.EXIT_USAGE);
    assertThat(run(Map.of(), "init-topics", "--bootstrap-servers", "k:1", "--partitions", "0"))
        .isEqualTo(Cli.EXIT_USAGE);
    assertThat(run(Map.of(), "init-topics", "--frobnicate")).isEqualTo(Cli.EXIT_USAGE);
    assertThat(run(Map.of(), "run")).isEqualTo(Cli.EXIT_USAGE);
    assertThat(err.toString().strip().lines())
        .containsExactly(
            "run: the maximum events per transaction must be at least 1, got 0 (see --help)",
            "run: Invalid value for option '--max-tx-age': 'soon' is not a duration (e.g. 250ms,"
                + " 5s, 2m, 1h, 7d or PT5S) (see --help)",
            "run: instance id 'a b' must be 1 to 200 letters, digits, '.', '_' or '-' (it names a"
                + " transactional id) (see --help)",
            "run: --metrics-port 70000 is not a port (0..65535, or -1) (see --help)",
            "init-topics: partitions must be at least 1, got 0 (see --help)",
            "init-topics: Unknown option: '--frobnicate' (see --help)",
            "run: no Kafka bootstrap servers: give --bootstrap-servers, bootstrap.servers in"
                + " --kafka-config, or V2P_KAFKA_BOOTSTRAP_SERVERS");
  }

  @Test
  void optionsComeFromTheEnvironmentToo() {
    assertThat(run(Map.of("V2P_MAX_TX_RECORDS", "0", "V2P_KAFKA_BOOTSTRAP_SERVERS", "k:1"), "run"))
        .isEqualTo(Cli.EXIT_USAGE);
    assertThat(err.toString()).contains("the maximum events per transaction must be at least 1");
  }
}
