package dev.v2pledger.kafka.embedded.containers;

import dev.v2pledger.kafka.embedded.RoundTrip;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The same round trip on Testcontainers' Kafka; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerRoundTripIT {

  @Container
  static final KafkaContainer KAFKA =
      TestcontainersKafkaCluster.newContainer(TestcontainersKafkaCluster.DEFAULT_IMAGE, Map.of());

  @Test
  void producedRecordsAreConsumed() {
    RoundTrip.produceAndConsume(
        new TestcontainersKafkaCluster(KAFKA), "containers.round-trip", 100);
  }
}
