package dev.v2pledger.schema.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The event producer's settings, as the README's contract asks whatever the operator's say. */
class EventPublisherSettingsTest {

  @Test
  void eventsGoToTheirInstancesPartition_whateverPartitionerTheSettingsName() {
    Map<String, Object> kafka =
        Map.of(
            "bootstrap.servers",
            "127.0.0.1:1",
            "partitioner.class",
            "my.RoundRobin",
            "partitioner.ignore.keys",
            "true",
            "acks",
            "1");

    Map<String, Object> config =
        EventPublisher.producerConfig(kafka, "test", Duration.ofSeconds(3));

    assertThat(config)
        .doesNotContainKey("partitioner.class")
        .containsEntry("partitioner.ignore.keys", false)
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", true)
        .containsEntry("client.id", "test")
        .containsEntry("request.timeout.ms", 3000)
        .containsEntry("delivery.timeout.ms", 6005);
  }
}
