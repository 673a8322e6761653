package dev.v2pledger.hardening.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Client settings no Kafka client can be built from (a trust store that is not there, SASL without
 * a JAAS entry), and a broker that is not there, through the built jars, whose logs share stderr:
 * every component stops at the first attempt with exit code 2 and one line naming the cause, and
 * the commands that answer once print that line alone. No broker is needed: the clients fail in
 * their constructors, or find nobody listening.
 */
class UnbuildableClientsIT {
  static final Duration DEADLINE = Duration.ofSeconds(60);

  /** "At once": no retry; this only bounds a slow machine (ten retries took 28 s). */
  static final Duration FAST = Duration.ofSeconds(20);

  static final String NOWHERE = "127.0.0.1:1";
  static final String SLED = "51ed0002-0000-4000-8000-000000000002";

  @TempDir static Path directory;
  static Path noTrustStore;
  static Path noJaas;

  @BeforeAll
  static void files() throws Exception {
    noTrustStore = directory.resolve("ssl.properties");
    Files.writeString(
        noTrustStore,
        "security.protocol=SSL\nssl.truststore.location=" + directory.resolve("none.jks") + "\n");
    noJaas = directory.resolve("sasl.properties");
    Files.writeString(noJaas, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n");
  }

  @Test
  void theDaemonsStopAtTheFirstAttemptWithExitCodeTwo() throws Exception {
    Commands.Run projector =
        nowhere("projector", "run", "--kafka-config", noTrustStore, "--metrics-port", "-1");
    Commands.Run applier =
        nowhere(
            "sled-applier",
            "run",
            "--kafka-config",
            noJaas,
            "--sled-id",
            SLED,
            "--xde",
            "sim",
            "--admin-port",
            "0");

    assertThat(projector.lastErrLine())
        .isEqualTo(
            "run: Kafka client settings: the client cannot be created: NoSuchFileException: "
                + directory.resolve("none.jks"));
    assertThat(applier.lastErrLine())
        .startsWith(
            "run: Kafka client settings: the client cannot be created: IllegalArgumentException:"
                + " Could not find a 'KafkaClient' entry in the JAAS configuration");
    for (Commands.Run run : List.of(projector, applier)) {
      assertThat(run.exit()).as(run.err()).isEqualTo(2);
      assertThat(run.err())
          .doesNotContain("attempt failed")
          .doesNotContain("\tat ")
          .doesNotContain("Caused by");
      assertThat(run.took()).isLessThan(FAST);
    }
  }

  @Test
  void theCommandsThatAnswerOncePrintOneLineAndNothingElse() throws Exception {
    Commands.Run rebuild = nowhere("replay-tool", "rebuild", "--kafka-config", noTrustStore);
    Commands.Run initTopics = nowhere("projector", "init-topics", "--kafka-config", noJaas);
    Commands.Run unreachable = nowhere("replay-tool", "stats", "--timeout", "2s");

    assertThat(rebuild.err())
        .isEqualTo(
            "rebuild: Kafka client settings: the client cannot be created: NoSuchFileException: "
                + directory.resolve("none.jks")
                + "\n");
    assertThat(initTopics.err())
        .startsWith(
            "init-topics: Kafka client settings: the client cannot be created:"
                + " IllegalArgumentException: Could not find a 'KafkaClient' entry")
        .hasLineCount(1);
    assertThat(unreachable.err())
        .isEqualTo("stats: cannot reach Kafka at 127.0.0.1:1 within 2 s\n");
    for (Commands.Run run : List.of(rebuild, initTopics, unreachable)) {
      assertThat(run.exit()).as(run.err()).isEqualTo(2);
    }
  }

  @Test
  void askedForKafkasOwnLogTheyShowIt() throws Exception {
    Commands.Run unreachable =
        Commands.jar(
            "replay-tool",
            Map.of("V2P_KAFKA_LOG_LEVEL", "warn"),
            DEADLINE,
            "stats",
            "--bootstrap-servers",
            NOWHERE,
            "--timeout",
            "2s");

    assertThat(unreachable.exit()).isEqualTo(2);
    assertThat(unreachable.err()).contains("NetworkClient");
    assertThat(unreachable.lastErrLine())
        .isEqualTo("stats: cannot reach Kafka at 127.0.0.1:1 within 2 s");
  }

  /** {@code java -jar <module>.jar verb --bootstrap-servers 127.0.0.1:1 args...}. */
  private static Commands.Run nowhere(String module, String verb, Object... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(verb, "--bootstrap-servers", NOWHERE));
    for (Object arg : args) {
      all.add(arg.toString());
    }
    return Commands.jar(module, Map.of(), DEADLINE, all.toArray(String[]::new));
  }
}
