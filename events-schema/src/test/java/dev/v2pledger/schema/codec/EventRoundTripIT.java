package dev.v2pledger.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.testing.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every event type through a real broker, and one exactly-once consume-transform-produce round. */
@WithKafka
class EventRoundTripIT {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @BeforeAll
  static void publishEveryEventType(KafkaCluster kafka) throws Exception {
    kafka.createTopics(
        TopicSpec.of(Topics.EVENTS, 3).withConfig("message.timestamp.type", "LogAppendTime"),
        TopicSpec.of(Topics.MAPPINGS, 3).withConfig("cleanup.policy", "compact"));
    try (KafkaProducer<String, InstanceEvent> producer =
        producer(kafka, V2PSerde.events(), Map.of())) {
      for (InstanceEvent event : SampleEvents.everyType()) {
        producer.send(new ProducerRecord<>(Topics.EVENTS, event.key(), event)).get();
      }
    }
  }

  @Test
  void everyEventTypeComesBackEqualInOrderWithSchemaHeaders(KafkaCluster kafka) {
    List<InstanceEvent> sent = SampleEvents.everyType();

    List<ConsumerRecord<String, InstanceEvent>> received =
        readAll(kafka, Topics.EVENTS, V2PSerde.events(), sent.size());

    assertThat(received).extracting(ConsumerRecord::value).containsExactlyElementsOf(sent);
    assertThat(received)
        .extracting(ConsumerRecord::key)
        .containsOnly(SampleEvents.INSTANCE.toString());
    assertThat(received)
        .allSatisfy(
            r ->
                assertThat(
                        new String(
                            r.headers().lastHeader(Topics.HEADER_SCHEMA).value(),
                            StandardCharsets.UTF_8))
                    .isEqualTo("dev.v2pledger.schema.avro.InstanceEvent"));
  }

  @Test
  void transactionalRoundIsSeenByReadCommittedReadersAndAbortedRecordsAreNot(KafkaCluster kafka)
      throws Exception {
    String group = "round-trip-transform";
    List<ConsumerRecord<String, InstanceEvent>> events =
        readAll(kafka, Topics.EVENTS, V2PSerde.events(), SampleEvents.everyType().size());
    try (KafkaProducer<String, ProjectedMapping> producer =
            producer(
                kafka,
                V2PSerde.mappings(),
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "round-trip-tx"));
        KafkaConsumer<String, InstanceEvent> consumer = consumer(kafka, V2PSerde.events(), group)) {
      producer.initTransactions();
      consumer.subscribe(Set.of(Topics.EVENTS));
      List<ConsumerRecord<String, InstanceEvent>> batch = pollUntil(consumer, events.size());
      producer.beginTransaction();
      for (ConsumerRecord<String, InstanceEvent> record : batch) {
        ProjectedMapping mapping = projectionOf(record);
        producer.send(new ProducerRecord<>(Topics.MAPPINGS, mapping.key().toString(), mapping));
      }
      producer.sendOffsetsToTransaction(nextOffsets(batch), consumer.groupMetadata());
      producer.commitTransaction();

      producer.beginTransaction();
      producer.send(
          new ProducerRecord<>(Topics.MAPPINGS, "9/10.0.0.9/1", projectionOf(batch.get(0))));
      producer.flush();
      producer.abortTransaction();

      producer.beginTransaction();
      producer.send(
          new ProducerRecord<>(Topics.MAPPINGS, "9/10.0.0.8/1", projectionOf(batch.get(1))));
      producer.commitTransaction();
    }

    List<ConsumerRecord<String, ProjectedMapping>> mappings =
        readAll(kafka, Topics.MAPPINGS, V2PSerde.mappings(), events.size() + 1);

    assertThat(mappings)
        .extracting(ConsumerRecord::key)
        .doesNotContain("9/10.0.0.9/1")
        .contains("9/10.0.0.8/1");
    assertThat(mappings)
        .filteredOn(r -> !r.key().startsWith("9/"))
        .extracting(r -> r.value().cause().offset())
        .containsExactlyInAnyOrderElementsOf(events.stream().map(ConsumerRecord::offset).toList());
    try (var admin = kafka.admin()) {
      var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      long committedTotal = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
      assertThat(committedTotal).isEqualTo(events.size());
    }
  }

  /** A stand-in transformation: one CLEARED record per event, caused by it. */
  private static ProjectedMapping projectionOf(ConsumerRecord<String, InstanceEvent> record) {
    return new ProjectedMapping(
        V2PMapping.cleared(
            MappingKey.parse("7777/172.30.0." + (record.offset() % 250) + "/" + record.offset()),
            record.value().instanceId(),
            SampleEvents.NIC,
            record.offset()),
        new EventPosition(
            record.partition(), record.offset(), Instant.ofEpochMilli(record.timestamp())));
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(
      List<? extends ConsumerRecord<?, ?>> batch) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (ConsumerRecord<?, ?> record : batch) {
      offsets.merge(
          new TopicPartition(record.topic(), record.partition()),
          new OffsetAndMetadata(record.offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    return offsets;
  }

  private static <V> KafkaProducer<String, V> producer(
      KafkaCluster kafka, Serializer<V> values, Map<String, Object> extra) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.putAll(extra);
    return new KafkaProducer<>(config, new StringSerializer(), values);
  }

  private static <V> KafkaConsumer<String, V> consumer(
      KafkaCluster kafka, Deserializer<V> values, String group) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    if (group != null) {
      config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    }
    return new KafkaConsumer<>(config, new StringDeserializer(), values);
  }

  /**
   * Reads {@code topic} from the beginning to its end offsets (the last stable offsets, since the
   * reader is read_committed) and checks the count, so a record that should not be visible would be
   * seen here.
   */
  private static <V> List<ConsumerRecord<String, V>> readAll(
      KafkaCluster kafka, String topic, Deserializer<V> values, int expected) {
    // a transaction's markers land after commitTransaction returns (transaction version 2): read
    // again until its records are visible; more than expected never passes
    AtomicReference<List<ConsumerRecord<String, V>>> read = new AtomicReference<>();
    Awaitility.await()
        .atMost(DEADLINE)
        .untilAsserted(() -> read.set(readOnce(kafka, topic, values, expected)));
    return read.get();
  }

  private static <V> List<ConsumerRecord<String, V>> readOnce(
      KafkaCluster kafka, String topic, Deserializer<V> values, int expected) {
    try (KafkaConsumer<String, V> consumer = consumer(kafka, values, null)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, V>> records = new ArrayList<>();
      Instant deadline = Instant.now().plus(DEADLINE);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        assertThat(Instant.now())
            .as("read %s to its end within %s", topic, DEADLINE)
            .isBefore(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      assertThat(records).hasSize(expected);
      return records;
    }
  }

  /** Polls until {@code expected} records arrived, or fails at the deadline. */
  private static <V> List<ConsumerRecord<String, V>> pollUntil(
      KafkaConsumer<String, V> consumer, int expected) {
    List<ConsumerRecord<String, V>> records = new ArrayList<>();
    Instant deadline = Instant.now().plus(DEADLINE);
    while (records.size() < expected && Instant.now().isBefore(deadline)) {
      consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    }
    assertThat(records).as("records within %s", DEADLINE).hasSize(expected);
    return records;
  }
}
