package dev.v2pledger.projector.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The admin calls {@link TopicSetup} makes, each bounded by one deadline ({@code System.nanoTime()}
 * based) for the whole setup: every request's own timeout is what is left of it, and a cluster that
 * does not answer in time is a {@link KafkaException} with a retriable (timeout) cause.
 */
final class AdminCalls {
  private static final long LEADER_POLL_MS = 50;

  private AdminCalls() {}

  static Map<String, Integer> partitions(Admin admin, Collection<String> topics, long deadline) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    describe(admin, topics, deadline)
        .forEach((topic, description) -> counts.put(topic, description.partitions().size()));
    return counts;
  }

  /** The descriptions of those of {@code topics} that exist. */
  static Map<String, TopicDescription> describe(
      Admin admin, Collection<String> topics, long deadline) {
    Map<String, KafkaFuture<TopicDescription>> futures =
        admin
            .describeTopics(topics, new DescribeTopicsOptions().timeoutMs(remainingMs(deadline)))
            .topicNameValues();
    Map<String, TopicDescription> descriptions = new LinkedHashMap<>();
    for (Map.Entry<String, KafkaFuture<TopicDescription>> entry : futures.entrySet()) {
      try {
        descriptions.put(entry.getKey(), await(entry.getValue(), deadline, "describe"));
      } catch (KafkaException e) {
        rethrowUnlessCausedBy(e, UnknownTopicOrPartitionException.class);
      }
    }
    return descriptions;
  }

  /** Creates topics; returns the names that turned out to exist already (a concurrent creator). */
  static List<String> create(Admin admin, List<NewTopic> requests, long deadline) {
    if (requests.isEmpty()) {
      return List.of();
    }
    Map<String, KafkaFuture<Void>> results =
        admin
            .createTopics(requests, new CreateTopicsOptions().timeoutMs(remainingMs(deadline)))
            .values();
    List<String> raced = new ArrayList<>();
    for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
      try {
        await(result.getValue(), deadline, "create");
      } catch (KafkaException e) {
        rethrowUnlessCausedBy(e, TopicExistsException.class);
        raced.add(result.getKey());
      }
    }
    return raced;
  }

  /**
   * Waits until the leader of every partition serves it, not just names it: a broker can list a new
   * partition's leader before its log is open, and an idempotent producer that sends several
   * requests to it at that moment can lose the first one (its retry is refused as out of order
   * after a later request was accepted; KAFKA-15591, seen here with Kafka 4.4.0). {@code
   * ListOffsets} is answered by the leader's log and retried by the admin client until it is open.
   * A broker whose metadata does not have a new topic yet (another one described its leaders) fails
   * the call for good: it is asked again until the deadline.
   */
  static void awaitOnline(Admin admin, List<String> topics, long deadline) {
    Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    partitions(admin, topics, deadline)
        .forEach(
            (topic, count) -> {
              for (int p = 0; p < count; p++) {
                partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
              }
            });
    while (true) {
      try {
        await(
            admin
                .listOffsets(partitions, new ListOffsetsOptions().timeoutMs(remainingMs(deadline)))
                .all(),
            deadline,
            "list offsets of");
        return;
      } catch (KafkaException e) {
        rethrowUnlessCausedBy(e, UnknownTopicOrPartitionException.class);
        if (remainingMs(deadline) <= LEADER_POLL_MS) {
          throw e;
        }
        sleep(LEADER_POLL_MS);
      }
    }
  }

  static void awaitLeaders(Admin admin, List<String> topics, long deadline) {
    while (true) {
      String missing = null;
      Map<String, TopicDescription> descriptions = describe(admin, topics, deadline);
      for (TopicDescription description : descriptions.values()) {
        if (description.partitions().stream()
            .anyMatch(p -> p.leader() == null || p.leader().isEmpty())) {
          missing = description.name() + " has partitions without a leader";
        }
      }
      if (!descriptions.keySet().containsAll(topics)) {
        missing = "topic metadata not propagated yet";
      }
      if (missing == null) {
        return;
      }
      if (remainingMs(deadline) <= 1) {
        throw new KafkaException("topics not ready in time: " + missing);
      }
      sleep(LEADER_POLL_MS);
    }
  }

  static Map<String, Map<String, String>> configs(
      Admin admin, Collection<String> topics, long deadline) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    if (topics.isEmpty()) {
      return out;
    }
    List<ConfigResource> resources =
        topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
    Map<ConfigResource, Config> configs =
        await(
            admin
                .describeConfigs(
                    resources, new DescribeConfigsOptions().timeoutMs(remainingMs(deadline)))
                .all(),
            deadline,
            "describe configs");
    configs.forEach(
        (resource, config) -> {
          Map<String, String> values = new TreeMap<>();
          for (ConfigEntry entry : config.entries()) {
            if (entry.value() != null) {
              values.put(entry.name(), entry.value());
            }
          }
          out.put(resource.name(), values);
        });
    return out;
  }

  /** Lets {@code e} pass (returns) when the cluster's answer was a {@code tolerated} error. */
  static void rethrowUnlessCausedBy(KafkaException e, Class<? extends Throwable> tolerated) {
    if (!tolerated.isInstance(e.getCause())) {
      throw e;
    }
  }

  static <T> T await(KafkaFuture<T> future, long deadline, String what) {
    try {
      return future.get(remainingMs(deadline), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof org.apache.kafka.common.errors.TimeoutException) {
        // the request's own timeout (the same deadline) ran out before this wait did
        throw new KafkaException(what + ": the cluster did not answer in time", cause);
      }
      throw new KafkaException(what + " failed: " + cause.getMessage(), cause);
    } catch (TimeoutException e) {
      throw new KafkaException(
          what + ": the cluster did not answer in time",
          new org.apache.kafka.common.errors.TimeoutException(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  static int remainingMs(long deadline) {
    long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }
}
