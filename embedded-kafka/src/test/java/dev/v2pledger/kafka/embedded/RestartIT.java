package dev.v2pledger.kafka.embedded;

import static dev.v2pledger.kafka.embedded.KafkaTestClients.assignFromBeginning;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.consumer;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.pollAtLeast;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.pollToEnd;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.producer;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.send;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.junit.WithKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Fault tests restart the broker mid-run: data, offsets and the address must survive. */
@WithKafka
class RestartIT {

  @Test
  void stopThenStart_keepsDataOffsetsAndAddress(EmbeddedKafkaBroker broker) throws Exception {
    survivesRestart(broker, "restart.clean", broker::stop);

    assertThat(broker.logDirs())
        .as("a clean shutdown leaves Kafka's clean-shutdown marker, which the restart consumed")
        .noneMatch(dir -> Files.exists(dir.resolve(EmbeddedKafkaBroker.CLEAN_SHUTDOWN_FILE)));
  }

  @Test
  void killThenStart_recoversDataOffsetsAndAddress(EmbeddedKafkaBroker broker) throws Exception {
    survivesRestart(
        broker,
        "restart.kill",
        () -> {
          broker.stop();
          assertThat(markers(broker)).as("clean shutdown writes markers").isNotEmpty();
          broker.start();
          broker.kill();
          assertThat(markers(broker)).as("kill leaves no clean-shutdown marker").isEmpty();
        });
  }

  private static void survivesRestart(EmbeddedKafkaBroker broker, String topic, Runnable stop)
      throws Exception {
    String group = topic + "-group";
    String address = broker.bootstrapServers();
    broker.createTopics(TopicSpec.of(topic, 2));
    List<String> before = records(topic + "-before", 10);
    List<String> after = records(topic + "-after", 5);

    try (Producer<String, String> producer =
        producer(broker, Map.of(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true))) {
      send(producer, topic, before);
      consumeAndCommit(broker, topic, group, before.size());

      stop.run();
      assertThat(broker.isRunning()).isFalse();
      broker.start();

      assertThat(broker.bootstrapServers()).isEqualTo(address);
      assertThat(committedTotal(broker, group)).isEqualTo(before.size());
      send(producer, topic, after);
    }

    try (Consumer<String, String> resumed = groupConsumer(broker, group)) {
      resumed.subscribe(List.of(topic));
      assertThat(values(pollAtLeast(resumed, after.size())))
          .as("the group resumes from its committed offsets")
          .containsExactlyInAnyOrderElementsOf(after);
    }
    try (Consumer<String, String> fresh = consumer(broker, Map.of())) {
      assertThat(values(pollToEnd(fresh, assignFromBeginning(fresh, topic))))
          .hasSize(before.size() + after.size())
          .containsAll(before)
          .containsAll(after);
    }
  }

  private static void consumeAndCommit(
      EmbeddedKafkaBroker broker, String topic, String group, int count) {
    try (Consumer<String, String> consumer = groupConsumer(broker, group)) {
      consumer.subscribe(List.of(topic));
      assertThat(pollAtLeast(consumer, count)).hasSize(count);
      consumer.commitSync(KafkaTestClients.TIMEOUT);
    }
  }

  private static Consumer<String, String> groupConsumer(EmbeddedKafkaBroker broker, String group) {
    return consumer(broker, Map.of(ConsumerConfig.GROUP_ID_CONFIG, group));
  }

  private static long committedTotal(EmbeddedKafkaBroker broker, String group) throws Exception {
    try (Admin admin = broker.admin()) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }
  }

  private static Set<Path> markers(EmbeddedKafkaBroker broker) {
    return broker.logDirs().stream()
        .map(dir -> dir.resolve(EmbeddedKafkaBroker.CLEAN_SHUTDOWN_FILE))
        .filter(Files::exists)
        .collect(Collectors.toSet());
  }

  private static List<String> records(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).collect(Collectors.toList());
  }
}
