package dev.v2pledger.hardening.security;

import static dev.v2pledger.hardening.security.SecureBroker.SASL;
import static dev.v2pledger.hardening.security.SecureBroker.TLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.runner.ApplierConfig;
import dev.v2pledger.applier.runner.SledApplier;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.projector.runner.Projector;
import dev.v2pledger.projector.runner.ProjectorConfig;
import dev.v2pledger.projector.runner.ProjectorStatus;
import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.runtime.kafka.KafkaSettings;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.SledId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refused credentials stop every component at once with one clear line, never retried: a wrong
 * password (in-process, through each command line, and from the built jars, where logs share
 * stderr), and a client that does not trust the broker's certificate.
 */
class AuthenticationFailuresIT {
  /** "At once": authentication fails on the first request; this only bounds a slow machine. */
  static final Duration FAST = Duration.ofSeconds(20);

  static final String REFUSED = "Authentication failed";
  static final SledId SLED = SledId.parse("51ed0002-0000-4000-8000-000000000002");

  @TempDir static Path directory;
  static SecureBroker secure;
  static Path wrongProjector;

  @BeforeAll
  static void start() throws Exception {
    secure = SecureBroker.startWithAclsAndTopics(directory);
    wrongProjector = secure.clientFile("projector", "not-the-password", SASL);
  }

  @AfterAll
  static void stop() {
    secure.close();
  }

  @Test
  void aWrongPasswordStopsTheProjectorWithoutARetry() {
    Map<String, Object> settings = KafkaSettings.clientConfig(null, wrongProjector, Map.of());
    try (Projector projector =
        Projector.start(ProjectorConfig.builder(settings, "wrong-0").kafkaTimeout(FAST).build())) {
      await().atMost(FAST).until(() -> projector.status().phase() == ProjectorStatus.Phase.FAILED);

      assertThat(projector.status().problem()).contains(REFUSED);
      assertThat(KafkaErrors.classify(projector.failure())).isEqualTo(KafkaErrors.Kind.FATAL);
      assertThat(projector.metrics().retryCount()).isZero();
    }
  }

  @Test
  void aWrongPasswordStopsTheApplier() {
    Map<String, String> env = new HashMap<>(SecurePipelineIT.applierEnvironment());
    env.put("V2P_KAFKA_SASL_JAAS_CONFIG", SecureBroker.jaas("applier", "wrong"));
    assertStopsFatally(KafkaSettings.clientConfig(secure.bootstrap(SASL), null, env), REFUSED);
  }

  @Test
  void anApplierThatDoesNotTrustTheBrokersCertificateStops() {
    Map<String, Object> settings =
        KafkaSettings.clientConfig(
            null, secure.clientFile("applier", SecureBroker.USERS.get("applier"), TLS), Map.of());
    settings.remove("ssl.truststore.location");
    settings.remove("ssl.truststore.password");
    settings.remove("ssl.truststore.type");
    assertStopsFatally(settings, "unable to find valid certification path");
  }

  private static void assertStopsFatally(Map<String, Object> settings, String why) {
    SimulatedXde device = new SimulatedXde(Ipv6Addr.parse("fd00::2"), Clock.systemUTC());
    try (SledApplier applier =
        SledApplier.start(ApplierConfig.of(SLED, settings), device, new SimpleMeterRegistry())) {
      await().atMost(FAST).until(() -> applier.failure() != null);

      assertThat(KafkaErrors.classify(applier.failure())).isEqualTo(KafkaErrors.Kind.FATAL);
      assertThat(applier.livenessProblem()).contains(why);
    }
  }

  @Test
  void everyCommandLineSaysSoOnOneLineAndExitsOne() {
    String projector = wrongProjector.toString();
    String applier = secure.clientFile("applier", "wrong", SASL).toString();
    String replay = secure.clientFile("replay", "wrong", SASL).toString();
    List<Commands.Run> runs =
        List.of(
            Commands.projector(
                Map.of(), "run", "--kafka-config", projector, "--metrics-port", "-1"),
            Commands.projector(
                Map.of(), "init-topics", "--kafka-config", projector, "--timeout", "20s"),
            Commands.applier(
                Map.of(),
                "run",
                "--sled-id",
                SLED.toString(),
                "--kafka-config",
                applier,
                "--xde",
                "sim",
                "--admin-port",
                "0"),
            Commands.replay("rebuild", "--kafka-config", replay));

    for (Commands.Run run : runs) {
      assertThat(run.exit()).as(run.err()).isEqualTo(1);
      assertThat(run.err().strip()).contains(REFUSED).doesNotContain("\n");
      assertThat(run.took()).isLessThan(FAST);
    }
  }

  @Test
  void theJarsSayItOnTheirLastLineWithoutAStackTrace() throws Exception {
    Map<String, String> wrongEnv =
        Map.of(
            "V2P_KAFKA_BOOTSTRAP_SERVERS",
            secure.bootstrap(SASL),
            "V2P_KAFKA_SECURITY_PROTOCOL",
            "SASL_PLAINTEXT",
            "V2P_KAFKA_SASL_MECHANISM",
            SecureBroker.SCRAM,
            "V2P_KAFKA_SASL_JAAS_CONFIG",
            SecureBroker.jaas("applier", "wrong"));
    Commands.Run projector =
        Commands.jar(
            "projector",
            Map.of(),
            Duration.ofSeconds(60),
            "run",
            "--kafka-config",
            wrongProjector.toString(),
            "--metrics-port",
            "-1");
    Commands.Run applier =
        Commands.jar(
            "sled-applier",
            wrongEnv,
            Duration.ofSeconds(60),
            "run",
            "--sled-id",
            SLED.toString(),
            "--xde",
            "sim",
            "--admin-port",
            "0");

    for (Commands.Run run : List.of(projector, applier)) {
      System.out.printf("stderr of a jar (%d ms):%n%s%n", run.took().toMillis(), run.err());
      assertThat(run.exit()).as(run.err()).isEqualTo(1);
      assertThat(run.lastErrLine()).startsWith("run: ").contains(REFUSED);
      assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Caused by");
    }
  }

  @Test
  void theReplayToolJarTakesItsSettingsFromTheEnvironment() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("V2P_KAFKA_BOOTSTRAP_SERVERS", secure.bootstrap(SASL));
    env.put("V2P_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT");
    env.put("V2P_KAFKA_SASL_MECHANISM", SecureBroker.SCRAM);
    env.put(
        "V2P_KAFKA_SASL_JAAS_CONFIG",
        SecureBroker.jaas("replay", SecureBroker.USERS.get("replay")));
    Commands.Run right = Commands.jar("replay-tool", env, Duration.ofSeconds(60), "stats");
    env.put("V2P_KAFKA_SASL_JAAS_CONFIG", SecureBroker.jaas("replay", "wrong"));
    Commands.Run wrong = Commands.jar("replay-tool", env, Duration.ofSeconds(60), "stats");

    assertThat(right.exit()).as(right.err()).isZero();
    assertThat(wrong.exit()).as(wrong.err()).isEqualTo(1);
    assertThat(wrong.lastErrLine()).startsWith("stats: ").contains(REFUSED);
    assertThat(wrong.err()).doesNotContain("\tat ");
  }
}
