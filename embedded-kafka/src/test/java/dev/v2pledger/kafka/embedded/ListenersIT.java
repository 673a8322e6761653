package dev.v2pledger.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.Test;

/**
 * Listener layouts other than the default, each on its own broker: what issue 7 (SASL/SCRAM and
 * ACLs) builds on.
 */
class ListenersIT {

  @Test
  void overriddenListeners_bootstrapServersFollowsTheOverride() {
    Map<String, Integer> ports = FreePorts.pick("127.0.0.1", List.of("client", "controller"));
    String listeners =
        "PLAINTEXT://127.0.0.1:"
            + ports.get("client")
            + ",CONTROLLER://127.0.0.1:"
            + ports.get("controller");
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder().brokerProperty("listeners", listeners).start()) {
      assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + ports.get("client"));
      assertThat(broker.brokerProperties())
          .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + ports.get("client"))
          .containsEntry(
              "controller.quorum.bootstrap.servers", "127.0.0.1:" + ports.get("controller"));
      RoundTrip.produceAndConsume(broker, "listeners.override", 10);
    }
  }

  @Test
  void scramClientListener_authenticatesClientsAndRejectsWrongPasswords() {
    try (EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.builder().scramClients("alice", "alice-secret").start()) {
      assertThat(broker.bootstrapServers())
          .isEqualTo(broker.bootstrapServers("SASL"))
          .isNotEqualTo(broker.bootstrapServers("PLAINTEXT"));
      RoundTrip.produceAndConsume(broker, "listeners.scram", 10);

      Map<String, Object> wrong = broker.clientConfig();
      wrong.put(
          SaslConfigs.SASL_JAAS_CONFIG, EmbeddedKafkaBrokerBuilder.scramLogin("alice", "wrong"));
      try (Admin admin = Admin.create(wrong)) {
        assertThatThrownBy(() -> admin.describeCluster().nodes().get())
            .hasCauseInstanceOf(SaslAuthenticationException.class);
      }
    }
  }
}
