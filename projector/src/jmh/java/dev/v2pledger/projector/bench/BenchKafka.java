package dev.v2pledger.projector.bench;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.projector.topics.ProjectorTopics;
import dev.v2pledger.projector.topics.TopicPlan;
import dev.v2pledger.projector.topics.TopicSetup;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.InstanceEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the Kafka benchmarks share: an embedded broker, topics, encoded events, progress. */
final class BenchKafka {
  /** An event as it goes on the wire. */
  record Encoded(byte[] key, byte[] value, RecordHeaders headers) {}

  private BenchKafka() {}

  static EmbeddedKafkaBroker broker() {
    return EmbeddedKafkaBroker.builder().start();
  }

  static ProjectorTopics topics(EmbeddedKafkaBroker broker, String prefix, int partitions) {
    ProjectorTopics topics = ProjectorTopics.DEFAULT.withPrefix(prefix);
    try (Admin admin = broker.admin()) {
      TopicSetup.apply(admin, topics, TopicPlan.of(partitions), Duration.ofSeconds(30));
    }
    return topics;
  }

  static List<Encoded> encode(List<InstanceEvent> events) {
    EventCodec codec = new EventCodec();
    V2PSerde<InstanceEvent> serde = V2PSerde.events();
    List<Encoded> out = new ArrayList<>(events.size());
    for (InstanceEvent event : events) {
      RecordHeaders headers = new RecordHeaders();
      serde.addHeaders(headers);
      out.add(
          new Encoded(event.key().getBytes(StandardCharsets.UTF_8), codec.encode(event), headers));
    }
    return out;
  }

  /**
   * The projector's client settings: the broker's, plus {@code -Dbench.kafka=name=value,...} (to
   * try client tunings).
   */
  static Map<String, Object> projectorClientConfig(EmbeddedKafkaBroker broker) {
    Map<String, Object> config = broker.clientConfig();
    String extra = System.getProperty("bench.kafka", "");
    for (String pair : extra.split(",")) {
      if (pair.contains("=")) {
        config.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
      }
    }
    if (!extra.isBlank()) {
      System.out.println("projector client settings: " + extra);
    }
    return config;
  }

  /** An idempotent producer with the settings the README asks publishers for. */
  static KafkaProducer<byte[], byte[]> producer(EmbeddedKafkaBroker broker) {
    Map<String, Object> config = broker.clientConfig();
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Events of {@code topic} the group has not committed yet. */
  static long lag(Admin admin, String group, String topic, int partitions) {
    try {
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        request.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(
                  group, new ListConsumerGroupOffsetsOptions().requireStable(true))
              .partitionsToOffsetAndMetadata()
              .get();
      long lag = 0;
      for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
        OffsetAndMetadata at = committed.get(end.getKey());
        lag += end.getValue() - (at == null ? 0 : at.offset());
      }
      return lag;
    } catch (ExecutionException e) {
      return Long.MAX_VALUE; // offsets unstable while a transaction commits: ask again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
