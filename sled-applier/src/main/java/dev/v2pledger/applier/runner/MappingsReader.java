package dev.v2pledger.applier.runner;

import dev.v2pledger.runtime.kafka.ClientMeters;
import dev.v2pledger.schema.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jspecify.annotations.Nullable;

/**
 * Reads every partition of {@code v2p.mappings} with no consumer group: assigned, not subscribed;
 * from the beginning; {@code read_committed} unless the Kafka settings ask for {@code
 * read_uncommitted}, which is safe (DESIGN "The latency path": every record of an aborted
 * transaction is written again, identical, by a committed one) and applies a record before its
 * transaction commits, but measured slower end to end on a shared machine (BENCHMARKS.md). The
 * snapshot's end is the end offset at this isolation level. Used by the applier thread only, except
 * {@link #wakeup}.
 */
final class MappingsReader implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;

  /** Kafka's own metrics of the consumer, on the applier's registry while it is open. */
  private final ClientMeters meters;

  private List<TopicPartition> partitions = List.of();
  private volatile boolean stopping;

  MappingsReader(Map<String, Object> kafka, String clientId, @Nullable ApplierMetrics metrics) {
    this.consumer = new KafkaConsumer<>(consumerConfig(kafka, clientId));
    this.meters =
        metrics == null
            ? ClientMeters.NONE
            : ClientMeters.bind(metrics.registry(), metrics.tags, List.of(), List.of(consumer));
  }

  /** The consumer's settings: the operator's Kafka settings, with what this reader needs. */
  static Map<String, Object> consumerConfig(Map<String, Object> kafka, String clientId) {
    Map<String, Object> config = new HashMap<>(kafka);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    // an operator may ask for read_uncommitted in the Kafka settings: safe (DESIGN "The latency
    // path"), a record is then applied before its transaction commits, at more fetches
    config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // a position out of range (records deleted under it) reads from the log's start again:
    // Kafka's default, latest, would skip every record up to the end
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    config.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    // partitions added to the topic are seen within this (the default is 5 minutes)
    config.putIfAbsent(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 10_000);
    // waiting for v2p.mappings must not create it: a broker with Kafka's default
    // auto.create.topics.enable=true would make it uncompacted, with its default partitions
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    return config;
  }

  /** Assigns every partition and seeks to the beginning; false while the topic does not exist. */
  boolean assignAll() {
    List<PartitionInfo> infos =
        absorbWakeup(() -> consumer.partitionsFor(Topics.MAPPINGS, Duration.ofSeconds(10)));
    if (infos == null || infos.isEmpty()) {
      return false;
    }
    partitions =
        infos.stream()
            .map(info -> new TopicPartition(info.topic(), info.partition()))
            .sorted(Comparator.comparingInt(TopicPartition::partition))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return true;
  }

  List<TopicPartition> partitions() {
    return partitions;
  }

  /**
   * Partitions added to the topic since they were assigned, not assigned yet (may be empty), as the
   * consumer's metadata has them (polls refresh it every {@code metadata.max.age.ms}): never a wait
   * for the broker, which took up to 10 s of the applier thread while it did not answer (the
   * metadata of a broker that shut down has no partitions for the topic). Nothing when the metadata
   * does not have the topic now: the next look asks again.
   */
  List<TopicPartition> added() {
    List<PartitionInfo> infos;
    try {
      infos = absorbWakeup(() -> consumer.partitionsFor(Topics.MAPPINGS, Duration.ZERO));
    } catch (TimeoutException e) {
      return List.of();
    }
    if (infos == null || infos.size() <= partitions.size()) {
      return List.of();
    }
    List<TopicPartition> added =
        new ArrayList<>(
            infos.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition()))
                .toList());
    added.removeAll(partitions);
    return added;
  }

  /** Assigns {@code added} too, each read from its beginning. */
  void assign(List<TopicPartition> added) {
    List<TopicPartition> all = new ArrayList<>(partitions);
    all.addAll(added);
    all.sort(Comparator.comparingInt(TopicPartition::partition));
    consumer.assign(all);
    consumer.seekToBeginning(added);
    partitions = List.copyOf(all);
  }

  /**
   * The last stable offsets of {@code some} partitions, taken now, waiting at most {@code timeout}
   * for the broker (a {@link TimeoutException} past it).
   */
  Map<TopicPartition, Long> endOffsets(List<TopicPartition> some, Duration timeout) {
    return absorbWakeup(() -> consumer.endOffsets(some, timeout));
  }

  /** The snapshot: the last stable offset of every partition, taken now. */
  Map<TopicPartition, Long> endOffsets() {
    return absorbWakeup(() -> consumer.endOffsets(partitions));
  }

  /**
   * The last stable offset of every partition, taken now, waiting at most {@code timeout} for the
   * broker: a {@link TimeoutException} past it (the consumer's own bound, {@code
   * default.api.timeout.ms}, is a minute of the applier thread while a broker is away).
   */
  Map<TopicPartition, Long> endOffsets(Duration timeout) {
    return absorbWakeup(() -> consumer.endOffsets(partitions, timeout));
  }

  Map<TopicPartition, Long> beginningOffsets() {
    return absorbWakeup(() -> consumer.beginningOffsets(partitions));
  }

  /** Polls; a {@link #wakeup} returns no records instead of throwing. */
  ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    try {
      return consumer.poll(timeout);
    } catch (WakeupException e) {
      return ConsumerRecords.empty();
    }
  }

  /** Reads {@code batch} again from its first record of each partition (it was not applied). */
  void rewind(ConsumerRecords<byte[], byte[]> batch) {
    for (TopicPartition partition : batch.partitions()) {
      consumer.seek(partition, batch.records(partition).get(0).offset());
    }
  }

  /** The next offset to read of {@code partition}. */
  long position(TopicPartition partition) {
    return absorbWakeup(() -> consumer.position(partition));
  }

  /**
   * A trigger that arrived between polls woke the consumer up: retry; the loop reacts later. Once
   * {@link #stop} was called the wakeup ends the call instead (it may wait up to a minute for a
   * broker that does not answer).
   */
  private <T> T absorbWakeup(Supplier<T> call) {
    while (true) {
      try {
        return call.get();
      } catch (WakeupException e) {
        if (stopping) {
          throw e;
        }
      }
    }
  }

  /** Records not read yet, summed over partitions, as far as the consumer knows. */
  long lag() {
    long sum = 0;
    for (TopicPartition partition : partitions) {
      OptionalLong lag = consumer.currentLag(partition);
      sum += lag.orElse(0);
    }
    return sum;
  }

  /**
   * Interrupts a poll in progress, or the next blocking call (from any thread). Every blocking call
   * here absorbs it, until {@link #stop}: a poll returns nothing, the others retry.
   */
  void wakeup() {
    consumer.wakeup();
  }

  /** Ends the poll or blocking call in progress, or the next one, with a WakeupException. */
  void stop() {
    stopping = true;
    consumer.wakeup();
  }

  @Override
  public void close() {
    meters.close();
    try {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    } catch (WakeupException e) {
      consumer.close(CloseOptions.timeout(Duration.ZERO));
    }
  }
}
