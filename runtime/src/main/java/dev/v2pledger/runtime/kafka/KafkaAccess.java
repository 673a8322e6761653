package dev.v2pledger.runtime.kafka;

import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.time.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A cluster the tools read (the replay tool, devstack). Every call that talks to the broker is
 * bounded by {@code timeout}: an unreachable broker is a one-line error after that time, never a
 * hang.
 */
public final class KafkaAccess {
  private final Map<String, Object> clientConfig;
  private final Duration timeout;

  public KafkaAccess(Map<String, Object> clientConfig, Duration timeout) {
    this.clientConfig = Map.copyOf(clientConfig);
    this.timeout = timeout;
  }

  public String bootstrapServers() {
    return String.valueOf(clientConfig.get("bootstrap.servers"));
  }

  /** The partitions of {@code topic}; a missing topic or a silent broker is a usage error. */
  public List<TopicPartition> partitions(String topic) {
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Map<String, TopicDescription> topics =
          admin
              .describeTopics(Set.of(topic))
              .allTopicNames()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<TopicPartition> partitions = new ArrayList<>();
      topics
          .get(topic)
          .partitions()
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      return partitions;
    } catch (TimeoutException e) {
      throw unreachable();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unreachable();
      }
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new UsageException(
            "topic " + topic + " does not exist on " + bootstrapServers(),
            Cli.EXIT_USAGE,
            e.getCause());
      }
      throw failed("cannot read " + topic, e);
    } catch (KafkaException e) {
      throw failed("cannot read " + topic, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UsageException("interrupted", Cli.EXIT_FAILURE);
    }
  }

  /**
   * The offsets {@code group} committed in the partitions of {@code topic}, by partition; a
   * partition it never committed in is absent, and so is every one of a group that does not exist.
   */
  public Map<Integer, Long> committedOffsets(String group, String topic) {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Map<Integer, Long> committed = new TreeMap<>();
      offsets.forEach(
          (tp, offset) -> {
            if (tp.topic().equals(topic) && offset != null) {
              committed.put(tp.partition(), offset.offset());
            }
          });
      return committed;
    } catch (TimeoutException e) {
      throw unreachable();
    } catch (ExecutionException | KafkaException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unreachable();
      }
      throw failed("cannot read the offsets of group " + group, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UsageException("interrupted", Cli.EXIT_FAILURE);
    }
  }

  private Admin admin() {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    return Admin.create(config);
  }

  /**
   * A Kafka error as the tool's answer: bad client settings are a usage error (exit 2), refused
   * credentials or permissions a failure (exit 1, as for every component: not retried), anything
   * else a usage error naming the cluster.
   */
  public UsageException failed(String what, Throwable error) {
    ConfigException badSettings = KafkaErrors.configError(error);
    if (badSettings != null) {
      return new UsageException(KafkaSettings.describe(badSettings, clientConfig), Cli.EXIT_USAGE);
    }
    String detail = what + " on " + bootstrapServers() + ": " + KafkaErrors.rootMessage(error);
    return new UsageException(
        detail,
        KafkaErrors.classify(error) == KafkaErrors.Kind.FATAL ? Cli.EXIT_FAILURE : Cli.EXIT_USAGE,
        error);
  }

  private UsageException unreachable() {
    return new UsageException(
        "cannot reach Kafka at " + bootstrapServers() + " within " + Durations.readable(timeout),
        Cli.EXIT_USAGE);
  }

  /** What a topic reader does with each record; returns false to stop reading that partition. */
  @FunctionalInterface
  public interface RecordSink {
    boolean accept(ConsumerRecord<byte[], byte[]> record);
  }

  /**
   * Reads every partition of {@code topic} from the beginning to its end offset at the start of the
   * read, {@code read_committed}, feeding records in each partition's order. Fails when nothing
   * comes for the timeout while partitions are not read to their end (the broker went away).
   *
   * @return those end offsets, by partition
   */
  public Map<Integer, Long> readToEnd(String topic, RecordSink sink) {
    List<TopicPartition> partitions = partitions(topic);
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
      List<TopicPartition> open = new ArrayList<>();
      for (TopicPartition partition : partitions) {
        if (consumer.position(partition, timeout) < end.get(partition)) {
          open.add(partition);
        }
      }
      consumer.pause(difference(partitions, open));
      long lastProgress = System.nanoTime();
      long read = -1; // the open partitions' positions, summed: any move is progress
      while (!open.isEmpty()) {
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<byte[], byte[]> record : polled) {
          TopicPartition tp = new TopicPartition(record.topic(), record.partition());
          if (!open.contains(tp)) {
            continue;
          }
          if (!sink.accept(record) || record.offset() + 1 >= end.get(tp)) {
            close(consumer, open, tp);
          }
        }
        closeFinished(consumer, open, end);
        long now = 0;
        for (TopicPartition tp : open) {
          now += consumer.position(tp, timeout);
        }
        if (now != read) {
          read = now;
          lastProgress = System.nanoTime();
        } else if (System.nanoTime() - lastProgress > timeout.toNanos()) {
          throw new org.apache.kafka.common.errors.TimeoutException("the read made no progress");
        }
      }
      Map<Integer, Long> ends = new TreeMap<>();
      end.forEach((tp, offset) -> ends.put(tp.partition(), offset));
      return ends;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new UsageException(
          "Kafka at "
              + bootstrapServers()
              + " did not answer within "
              + Durations.readable(timeout),
          Cli.EXIT_USAGE);
    } catch (KafkaException e) {
      throw failed("cannot read " + topic, e);
    }
  }

  /**
   * The end offsets of {@code topic}'s partitions now ({@code read_committed}: the last stable
   * offset), by partition.
   */
  public Map<Integer, Long> endOffsets(String topic) {
    List<TopicPartition> partitions = partitions(topic);
    return byPartition("the end of " + topic, consumer -> consumer.endOffsets(partitions, timeout));
  }

  /**
   * The log start offsets of {@code topic}'s partitions now (above 0 where records were deleted by
   * retention or {@code deleteRecords}), by partition.
   */
  public Map<Integer, Long> startOffsets(String topic) {
    List<TopicPartition> partitions = partitions(topic);
    return byPartition(
        "the start of " + topic, consumer -> consumer.beginningOffsets(partitions, timeout));
  }

  /**
   * The partitions of {@code topic} that no longer start at offset 0 (records deleted by retention
   * or {@code deleteRecords}), with their start offsets, in partition order.
   */
  public Map<Integer, Long> truncatedStarts(String topic) {
    Map<Integer, Long> truncated = new TreeMap<>(startOffsets(topic));
    truncated.values().removeIf(start -> start == 0);
    return truncated;
  }

  /** The offsets {@code read} gets from a consumer, by partition; a failure names {@code what}. */
  private Map<Integer, Long> byPartition(
      String what, Function<KafkaConsumer<byte[], byte[]>, Map<TopicPartition, Long>> read) {
    try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
      Map<Integer, Long> offsets = new TreeMap<>();
      read.apply(consumer).forEach((tp, offset) -> offsets.put(tp.partition(), offset));
      return offsets;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw unreachable();
    } catch (KafkaException e) {
      throw failed("cannot read " + what, e);
    }
  }

  private void closeFinished(
      KafkaConsumer<byte[], byte[]> consumer,
      List<TopicPartition> open,
      Map<TopicPartition, Long> end) {
    for (TopicPartition tp : List.copyOf(open)) {
      if (consumer.position(tp, timeout) >= end.get(tp)) {
        close(consumer, open, tp);
      }
    }
  }

  private static void close(
      KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> open, TopicPartition tp) {
    open.remove(tp);
    consumer.pause(List.of(tp));
  }

  private static List<TopicPartition> difference(
      List<TopicPartition> all, List<TopicPartition> some) {
    List<TopicPartition> rest = new ArrayList<>(all);
    rest.removeAll(some);
    return rest;
  }

  private KafkaConsumer<byte[], byte[]> consumer() {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The raw client settings, for producers the caller configures further. */
  public Map<String, Object> clientConfig() {
    return clientConfig;
  }

  public Duration timeout() {
    return timeout;
  }
}
