package dev.v2pledger.kafka.embedded.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.kafka.KafkaContainer;

class TestcontainersKafkaClusterTest {

  @Test
  void envName_followsTheApacheKafkaImageRules() {
    assertThat(TestcontainersKafkaCluster.envName("log.retention.ms"))
        .isEqualTo("KAFKA_LOG_RETENTION_MS");
    assertThat(TestcontainersKafkaCluster.envName("listener.name.sasl_plaintext.x"))
        .isEqualTo("KAFKA_LISTENER_NAME_SASL__PLAINTEXT_X");
    assertThat(TestcontainersKafkaCluster.envName("a.scram-sha-512.b"))
        .isEqualTo("KAFKA_A_SCRAM___SHA___512_B");
  }

  @Test
  void newContainer_setsTheSharedDefaultsThenTheGivenProperties() {
    KafkaContainer container =
        TestcontainersKafkaCluster.newContainer(
            TestcontainersKafkaCluster.DEFAULT_IMAGE, Map.of("num.partitions", "6"));

    assertThat(container.getEnvMap())
        .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
        .containsEntry("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
        .containsEntry("KAFKA_NUM_PARTITIONS", "6");
  }
}
