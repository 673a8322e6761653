package dev.v2pledger.applier.testing;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.ApplierAck;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.V2PMapping;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The projector's side of the applier's topics, for integration tests (the projector is written in
 * parallel): creates {@code v2p.mappings} and {@code v2p.acks}, writes projected records as the
 * projector would (key = {@code vni/ip/epoch}), reads acks back.
 */
public final class MappingsTopic {
  public static final int PARTITIONS = 3;

  private MappingsTopic() {}

  public static void create(KafkaCluster kafka) {
    kafka.createTopics(
        TopicSpec.of(Topics.MAPPINGS, PARTITIONS).withConfig("cleanup.policy", "compact"),
        TopicSpec.of(Topics.ACKS, PARTITIONS));
  }

  public static KafkaProducer<String, ProjectedMapping> producer(
      KafkaCluster kafka, Map<String, Object> extra) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    config.putAll(extra);
    V2PSerde<ProjectedMapping> serde = V2PSerde.mappings();
    return new KafkaProducer<>(config, new StringSerializer(), serde.serializer());
  }

  /** Writes {@code records} in order and waits until the broker has them all. */
  public static void produce(KafkaCluster kafka, List<V2PMapping> records) {
    try (KafkaProducer<String, ProjectedMapping> producer = producer(kafka, Map.of())) {
      send(producer, records);
    }
  }

  public static void send(
      KafkaProducer<String, ProjectedMapping> producer, List<V2PMapping> records) {
    List<Future<?>> sent = new ArrayList<>();
    for (V2PMapping record : records) {
      sent.add(
          producer.send(
              new ProducerRecord<>(
                  Topics.MAPPINGS, record.key().toString(), Records.projected(record))));
    }
    producer.flush();
    for (Future<?> f : sent) {
      try {
        f.get();
      } catch (InterruptedException | ExecutionException e) {
        throw new IllegalStateException("cannot produce a mapping", e);
      }
    }
  }

  /** The current end offsets of {@code v2p.mappings}, by partition. */
  public static Map<Integer, Long> endOffsets(KafkaCluster kafka) {
    try (KafkaConsumer<String, String> consumer = consumer(kafka)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(new TopicPartition(Topics.MAPPINGS, p));
      }
      Map<Integer, Long> out = new HashMap<>();
      consumer.endOffsets(partitions).forEach((tp, offset) -> out.put(tp.partition(), offset));
      return out;
    }
  }

  /**
   * The highest watermark {@code sled} has acked per partition, as far as {@code v2p.acks} shows.
   */
  public static Map<Integer, Long> ackedBy(KafkaCluster kafka, SledId sled) {
    Map<Integer, Long> marks = new HashMap<>();
    readAcks(
        kafka,
        ack -> {
          if (ack.sledId().equals(sled)) {
            marks.merge(ack.partition(), ack.appliedThroughOffset(), Math::max);
          }
        });
    return marks;
  }

  /** Every ack in {@code v2p.acks}, with its record key. */
  public static List<ConsumerRecord<String, ApplierAck>> allAcks(KafkaCluster kafka) {
    List<ConsumerRecord<String, ApplierAck>> out = new ArrayList<>();
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    V2PSerde<ApplierAck> serde = V2PSerde.acks();
    try (KafkaConsumer<String, ApplierAck> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), serde.deserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        partitions.add(new TopicPartition(Topics.ACKS, p));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cannot read v2p.acks to its end");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  private static void readAcks(KafkaCluster kafka, Consumer<ApplierAck> each) {
    allAcks(kafka).forEach(r -> each.accept(r.value()));
  }

  private static KafkaConsumer<String, String> consumer(KafkaCluster kafka) {
    return new KafkaConsumer<>(
        kafka.clientConfig(), new StringDeserializer(), new StringDeserializer());
  }
}
