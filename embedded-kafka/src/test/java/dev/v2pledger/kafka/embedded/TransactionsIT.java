package dev.v2pledger.kafka.embedded;

import static dev.v2pledger.kafka.embedded.KafkaTestClients.TIMEOUT;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.assignFromBeginning;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.consumer;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.pollAtLeast;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.pollToEnd;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.producer;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.send;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.junit.WithKafka;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Consume-transform-produce in Kafka transactions, as the projector will run it. */
@WithKafka
class TransactionsIT {

  private static final String IN = "txn.in";
  private static final String OUT = "txn.out";
  private static final String GROUP = "txn-app";

  @Test
  void readCommittedSeesCommittedOutputAndOffsetsButNotAbortedRecords(KafkaCluster cluster)
      throws Exception {
    cluster.createTopics(TopicSpec.of(IN, 2), TopicSpec.of(OUT, 2));
    List<String> inputs = List.of("a1", "a2", "a3", "a4", "a5");
    try (Producer<String, String> plain = producer(cluster, Map.of())) {
      send(plain, IN, inputs);
    }

    try (Consumer<String, String> app = appConsumer(cluster);
        Producer<String, String> txn = transactionalProducer(cluster)) {
      txn.initTransactions();
      app.subscribe(List.of(IN));
      List<ConsumerRecord<String, String>> batch = pollAtLeast(app, inputs.size());

      txn.beginTransaction();
      for (ConsumerRecord<String, String> record : batch) {
        txn.send(new ProducerRecord<>(OUT, record.key(), record.value().toUpperCase(Locale.ROOT)));
      }
      txn.sendOffsetsToTransaction(nextOffsets(batch), app.groupMetadata());
      txn.commitTransaction();

      txn.beginTransaction();
      txn.send(new ProducerRecord<>(OUT, "a1", "ABORTED-1"));
      txn.send(new ProducerRecord<>(OUT, "a2", "ABORTED-2"));
      txn.flush();
      txn.abortTransaction();
    }

    // markers are written after commitTransaction/abortTransaction return (transaction version 2),
    // so a reader may look before they land: wait for the expected view, which a lost commit or a
    // visible abort would never give
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(readAll(cluster, "read_committed"))
                    .containsExactlyInAnyOrder("A1", "A2", "A3", "A4", "A5"));
    assertThat(readAll(cluster, "read_uncommitted"))
        .as("the aborted records were written, and only read_committed hides them")
        .containsExactlyInAnyOrder("A1", "A2", "A3", "A4", "A5", "ABORTED-1", "ABORTED-2");
    try (Admin admin = cluster.admin()) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
      assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum())
          .as("offsets committed in the transaction cover every input record")
          .isEqualTo(inputs.size());
    }
  }

  private static Consumer<String, String> appConsumer(KafkaCluster cluster) {
    return consumer(
        cluster,
        Map.of(
            ConsumerConfig.GROUP_ID_CONFIG,
            GROUP,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed"));
  }

  private static Producer<String, String> transactionalProducer(KafkaCluster cluster) {
    return producer(
        cluster,
        Map.of(
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "txn-app-0",
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            (int) TIMEOUT.toMillis()));
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
      List<ConsumerRecord<String, String>> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (ConsumerRecord<String, String> record : records) {
      offsets.merge(
          new TopicPartition(record.topic(), record.partition()),
          new OffsetAndMetadata(record.offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    return offsets;
  }

  private static List<String> readAll(KafkaCluster cluster, String isolation) {
    try (Consumer<String, String> reader =
        consumer(cluster, Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
      return values(pollToEnd(reader, assignFromBeginning(reader, OUT)));
    }
  }
}
