package dev.v2pledger.applier.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MappingsReaderTest {
  /**
   * An applier started before init-topics waits for v2p.mappings: on a broker that creates topics
   * on demand (Kafka's default), its metadata requests must not create it, uncompacted.
   */
  @Test
  void waitingForTheTopicNeverCreatesIt_whateverTheOperatorsSettings() {
    Map<String, Object> config =
        MappingsReader.consumerConfig(
            Map.of("bootstrap.servers", "k:1", "allow.auto.create.topics", "true"), "sled-1");

    assertThat(config)
        .containsEntry("allow.auto.create.topics", false)
        .containsEntry("enable.auto.commit", false)
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("isolation.level", "read_committed")
        .doesNotContainKey("group.id");
  }
}
