package dev.v2pledger.kafka.embedded;

import static dev.v2pledger.kafka.embedded.KafkaTestClients.TIMEOUT;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.producer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.kafka.embedded.junit.WithKafka;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithKafka
class EmbeddedKafkaBrokerIT {

  @BeforeAll
  static void printStartTime(EmbeddedKafkaBroker broker) {
    System.out.printf(
        "embedded Kafka broker started in %d ms at %s%n",
        broker.lastStartDuration().toMillis(), broker.bootstrapServers());
    assertThat(broker.isRunning()).isTrue();
    assertThat(broker.lastStartDuration()).isPositive().isLessThan(TIMEOUT);
    assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
  }

  @Test
  void producedRecordsAreConsumed(KafkaCluster cluster) {
    RoundTrip.produceAndConsume(cluster, "embedded.round-trip", 100);
  }

  @Test
  void topicConfigsAreAppliedAtCreation(KafkaCluster cluster) {
    cluster.createTopics(
        TopicSpec.of("embedded.compacted", 2)
            .withConfig("cleanup.policy", "compact")
            .withConfig("message.timestamp.type", "LogAppendTime"),
        TopicSpec.of("embedded.plain", 1));

    assertThat(cluster.topicConfig("embedded.compacted"))
        .containsEntry("cleanup.policy", "compact")
        .containsEntry("message.timestamp.type", "LogAppendTime");
    assertThat(cluster.topicConfig("embedded.plain"))
        .containsEntry("cleanup.policy", "delete")
        .containsEntry("message.timestamp.type", "CreateTime");
  }

  @Test
  void creatingAnExistingTopicWithTheSamePartitionCountIsANoOp(KafkaCluster cluster)
      throws Exception {
    TopicSpec spec = TopicSpec.of("embedded.idempotent", 3).withConfig("retention.ms", "-1");
    cluster.createTopics(spec);
    cluster.createTopics(spec, TopicSpec.of("embedded.idempotent-other", 1));

    try (Admin admin = cluster.admin()) {
      Map<String, TopicDescription> topics =
          admin
              .describeTopics(List.of("embedded.idempotent", "embedded.idempotent-other"))
              .allTopicNames()
              .get();
      assertThat(topics.get("embedded.idempotent").partitions()).hasSize(3);
      assertThat(topics.get("embedded.idempotent-other").partitions()).hasSize(1);
    }
    assertThat(cluster.topicConfig("embedded.idempotent")).containsEntry("retention.ms", "-1");
  }

  @Test
  void creatingAnExistingTopicWithAnotherPartitionCountFails(KafkaCluster cluster) {
    cluster.createTopic("embedded.two-partitions", 2, Map.of());

    assertThatThrownBy(() -> cluster.createTopic("embedded.two-partitions", 4, Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exists with 2 partitions, wanted 4");
  }

  @Test
  void topicsAreNotCreatedAutomatically(KafkaCluster cluster) throws Exception {
    try (Producer<String, String> producer =
        producer(cluster, Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 500))) {
      assertThatThrownBy(() -> producer.partitionsFor("embedded.never-created"))
          .isInstanceOf(TimeoutException.class);
    }
    try (Admin admin = cluster.admin()) {
      assertThat(admin.listTopics().names().get()).doesNotContain("embedded.never-created");
    }
  }
}
