package dev.v2pledger.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerBuilderTest {

  @Test
  void clientListenerMustBeAListener() {
    assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().clientListener("SASL").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("client listener SASL");
  }

  @Test
  void controllerListenerIsReserved() {
    assertThatThrownBy(
            () -> EmbeddedKafkaBroker.builder().listener("controller", SecurityProtocol.SSL))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listenerNamesAreUpperCased() {
    BrokerSettings settings =
        EmbeddedKafkaBroker.builder()
            .listener("sasl", SecurityProtocol.SASL_PLAINTEXT)
            .clientListener("Sasl")
            .settings();

    assertThat(settings.listeners()).containsKeys("PLAINTEXT", "SASL");
    assertThat(settings.clientListener()).isEqualTo("SASL");
  }

  @Test
  void givenClusterIdIsKept_otherwiseEachBrokerGetsItsOwn() {
    assertThat(EmbeddedKafkaBroker.builder().clusterId("abc").settings().clusterId())
        .isEqualTo("abc");
    assertThat(EmbeddedKafkaBroker.builder().settings().clusterId())
        .isNotEqualTo(EmbeddedKafkaBroker.builder().settings().clusterId());
  }

  @Test
  void accessorsBeforeTheFirstStart_sayTheBrokerWasNeverStarted() {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().build()) {
      assertThat(broker.isRunning()).isFalse();
      assertThatThrownBy(broker::bootstrapServers)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("never started");
    }
  }
}
