package dev.v2pledger.kafka.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;

/**
 * Topic helpers over a Kafka {@link Admin} client, shared by every {@link KafkaCluster}.
 *
 * <p>{@link #createTopics} is idempotent: a topic that already exists with the requested partition
 * count is accepted as is (its configs are not compared or changed); one with another partition
 * count is an error. It returns once every partition of every requested topic has a leader, so a
 * client can use the topics right away.
 */
public final class TopicAdmin {

  private static final long RETRY_BACKOFF_MS = 20;

  private TopicAdmin() {}

  /**
   * Creates the topics that do not exist yet and waits until all of them are usable.
   *
   * @param admin admin client of the cluster
   * @param topics wanted topics
   * @param timeout deadline for the whole operation
   * @param time clock used for the deadline and the retry backoff
   * @throws IllegalStateException if a topic exists with another partition count
   * @throws KafkaException if the cluster refuses or does not answer before the deadline
   */
  public static void createTopics(
      Admin admin, Collection<TopicSpec> topics, Duration timeout, Time time) {
    if (topics.isEmpty()) {
      return;
    }
    long deadline = time.milliseconds() + timeout.toMillis();
    List<NewTopic> requests = new ArrayList<>();
    for (TopicSpec spec : topics) {
      requests.add(
          new NewTopic(spec.name(), Optional.of(spec.partitions()), Optional.empty())
              .configs(spec.configs()));
    }
    CreateTopicsOptions options =
        new CreateTopicsOptions().timeoutMs(intMs(remainingMs(deadline, time)));
    Map<String, KafkaFuture<Void>> results = admin.createTopics(requests, options).values();
    for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
      try {
        await(result.getValue(), deadline, time, "create topic " + result.getKey());
      } catch (KafkaException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
    awaitLeaders(admin, topics, deadline, time);
  }

  /**
   * The configs of a topic as the broker reports them (explicit and default values).
   *
   * @param admin admin client of the cluster
   * @param topic topic name
   * @param timeout deadline
   * @param time clock used for the deadline
   * @return config name to value; entries without a value (sensitive ones) are left out
   */
  public static Map<String, String> topicConfig(
      Admin admin, String topic, Duration timeout, Time time) {
    long deadline = time.milliseconds() + timeout.toMillis();
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Map<ConfigResource, Config> configs =
        await(admin.describeConfigs(List.of(resource)).all(), deadline, time, "describe " + topic);
    Map<String, String> values = new LinkedHashMap<>();
    for (ConfigEntry entry : configs.get(resource).entries()) {
      if (entry.value() != null) {
        values.put(entry.name(), entry.value());
      }
    }
    return values;
  }

  private static void awaitLeaders(
      Admin admin, Collection<TopicSpec> topics, long deadline, Time time) {
    Map<String, Integer> wanted = new HashMap<>();
    topics.forEach(spec -> wanted.put(spec.name(), spec.partitions()));
    while (true) {
      Optional<String> notReady = firstNotReady(admin, wanted, deadline, time);
      if (notReady.isEmpty()) {
        awaitOnline(admin, wanted, deadline, time);
        return;
      }
      if (remainingMs(deadline, time) <= 0) {
        throw new KafkaException("topics not ready before the deadline: " + notReady.get());
      }
      time.sleep(RETRY_BACKOFF_MS);
    }
  }

  /**
   * Waits until every partition's leader serves it, not just names it: a broker can list a new
   * partition's leader before its log is open, and an idempotent producer with several requests in
   * flight at that moment can lose the first (KAFKA-15591, seen with Kafka 4.4.0). {@code
   * ListOffsets} is answered by the leader's log; the admin client retries it until it is open.
   */
  private static void awaitOnline(
      Admin admin, Map<String, Integer> wanted, long deadline, Time time) {
    Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    wanted.forEach(
        (topic, count) -> {
          for (int p = 0; p < count; p++) {
            partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
          }
        });
    await(
        admin.listOffsets(partitions).all(), deadline, time, "list offsets of " + wanted.keySet());
  }

  /** Empty when all topics have their partitions with leaders; otherwise what is missing. */
  private static Optional<String> firstNotReady(
      Admin admin, Map<String, Integer> wanted, long deadline, Time time) {
    Map<String, TopicDescription> descriptions;
    try {
      descriptions =
          await(
              admin.describeTopics(wanted.keySet()).allTopicNames(),
              deadline,
              time,
              "describe topics " + wanted.keySet());
    } catch (KafkaException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return Optional.of("metadata not propagated yet: " + e.getCause().getMessage());
      }
      throw e;
    }
    for (Map.Entry<String, Integer> topic : wanted.entrySet()) {
      List<TopicPartitionInfo> partitions = descriptions.get(topic.getKey()).partitions();
      if (partitions.size() != topic.getValue()) {
        throw new IllegalStateException(
            "topic "
                + topic.getKey()
                + " exists with "
                + partitions.size()
                + " partitions, wanted "
                + topic.getValue());
      }
      if (partitions.stream().anyMatch(p -> p.leader() == null || p.leader().isEmpty())) {
        return Optional.of(topic.getKey() + " has partitions without a leader");
      }
    }
    return Optional.empty();
  }

  /**
   * Waits for an admin future until the deadline and unwraps its outcome.
   *
   * @throws KafkaException wrapping the cause of a failed future, or on timeout or interrupt
   */
  static <T> T await(KafkaFuture<T> future, long deadline, Time time, String what) {
    try {
      return future.get(Math.max(0, remainingMs(deadline, time)), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new KafkaException(what + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new KafkaException(what + ": no answer before the deadline", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException(what + ": interrupted", e);
    }
  }

  static long remainingMs(long deadline, Time time) {
    return deadline - time.milliseconds();
  }

  static int intMs(long ms) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
  }
}
