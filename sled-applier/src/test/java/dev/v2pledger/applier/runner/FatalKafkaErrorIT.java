package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.U;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.EmbeddedKafkaBrokerBuilder;
import dev.v2pledger.runtime.kafka.KafkaErrors;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.junit.jupiter.api.Test;

/** Fatal Kafka errors stop the applier (and only those): here, wrong credentials. */
class FatalKafkaErrorIT {

  @Test
  void givenWrongCredentials_thenTheApplierStopsWithTheReasonAndNeverBecomesReady()
      throws Exception {
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder().scramClients("applier", "right").start()) {
      Map<String, Object> kafka = broker.clientConfig();
      kafka.put(
          SaslConfigs.SASL_JAAS_CONFIG, EmbeddedKafkaBrokerBuilder.scramLogin("applier", "wrong"));
      SimulatedXde device = new SimulatedXde(U.underlay(), Clock.systemUTC());

      try (SledApplier applier =
          SledApplier.start(ApplierConfig.of(U.id(), kafka), device, new SimpleMeterRegistry())) {
        assertThat(applier.awaitTermination(Duration.ofSeconds(60))).isTrue();

        assertThat(applier.failure()).isNotNull();
        assertThat(KafkaErrors.classify(applier.failure())).isEqualTo(KafkaErrors.Kind.FATAL);
        assertThat(applier.failure()).isInstanceOf(AuthenticationException.class);
        assertThat(applier.livenessProblem()).startsWith("stopped: ");
        assertThat(applier.readinessProblem()).startsWith("stopped: ");
        assertThat(device.mutations()).isEmpty();
      }
    }
  }

  @Test
  void givenNoBrokerYet_thenTheApplierWaitsInsteadOfStopping() {
    Map<String, Object> kafka =
        Map.of("bootstrap.servers", "127.0.0.1:1", "reconnect.backoff.max.ms", 200);
    SimulatedXde device = new SimulatedXde(U.underlay(), Clock.systemUTC());
    try (SledApplier applier =
        SledApplier.start(ApplierConfig.of(U.id(), kafka), device, new SimpleMeterRegistry())) {
      await()
          .during(Duration.ofSeconds(12))
          .atMost(Duration.ofSeconds(20))
          .until(() -> applier.failure() == null && applier.livenessProblem() == null);
      assertThat(applier.readinessProblem()).isEqualTo("connecting to Kafka");
    }
  }
}
