package dev.v2pledger.projector.topics;

import dev.v2pledger.runtime.kafka.KafkaErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
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
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topics of v2p-ledger and their configs, created idempotently: what {@code projector
 * init-topics} runs, and what the one-machine stack calls in-process.
 *
 * <ul>
 *   <li>{@code v2p.events}: the system of record, kept forever ({@code retention.ms=-1} and {@code
 *       retention.bytes=-1}, whatever the brokers' defaults), stamped with the broker's time
 *       ({@code message.timestamp.type=LogAppendTime});
 *   <li>{@code v2p.events.dlq}: kept forever;
 *   <li>{@code v2p.mappings}, {@code v2p.instance-state}: compacted; the changelog has as many
 *       partitions as the events (co-partitioned);
 *   <li>{@code v2p.acks}: deleted after a retention (a week by default);
 *   <li>{@code v2p.schemas}: one partition, compacted: writer schemas by fingerprint.
 * </ul>
 *
 * A topic that exists is left as it is and reported, with any wanted config it lacks. Existing
 * {@code v2p.events} and {@code v2p.instance-state} with different partition counts are refused.
 */
public final class TopicSetup {
  private static final long LEADER_POLL_MS = 50;

  private TopicSetup() {}

  /** A topic as {@code init-topics} would create it. */
  public record WantedTopic(String name, int partitions, Map<String, String> configs) {
    public WantedTopic {
      configs = Map.copyOf(configs);
    }
  }

  /**
   * The wanted topics, given what exists: a missing {@code events} or {@code instanceState} takes
   * its partner's partition count.
   *
   * @param existing partition count of each topic that exists
   * @throws TopicsNotCoPartitionedException when both exist with different counts
   */
  public static List<WantedTopic> wanted(
      ProjectorTopics names, TopicPlan plan, Map<String, Integer> existing) {
    Integer events = existing.get(names.events());
    Integer state = existing.get(names.instanceState());
    if (events != null && state != null && !events.equals(state)) {
      throw new TopicsNotCoPartitionedException(
          names.events(), events, names.instanceState(), state);
    }
    int coPartitions = events != null ? events : state != null ? state : plan.partitions();
    List<WantedTopic> wanted = new ArrayList<>();
    wanted.add(
        topic(
            plan,
            names.events(),
            coPartitions,
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                // else the brokers' log.retention.bytes, when set, deletes the oldest events
                TopicConfig.RETENTION_BYTES_CONFIG, "-1",
                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")));
    wanted.add(
        topic(
            plan,
            names.dlq(),
            plan.partitions(),
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                "-1",
                TopicConfig.RETENTION_BYTES_CONFIG,
                "-1")));
    wanted.add(
        topic(
            plan,
            names.mappings(),
            plan.partitions(),
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    wanted.add(
        topic(
            plan,
            names.instanceState(),
            coPartitions,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    wanted.add(
        topic(
            plan,
            names.acks(),
            plan.partitions(),
            Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(plan.acksRetention().toMillis()))));
    wanted.add(
        topic(
            plan,
            names.schemas(),
            1,
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)));
    return wanted;
  }

  private static WantedTopic topic(
      TopicPlan plan, String name, int partitions, Map<String, String> configs) {
    Map<String, String> all = new TreeMap<>(configs);
    if (plan.minInsyncReplicas() != null) {
      all.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, plan.minInsyncReplicas().toString());
    }
    return new WantedTopic(name, partitions, all);
  }

  /**
   * Creates the missing topics, checks the existing ones, and waits until every partition has a
   * leader.
   *
   * @throws TopicsNotCoPartitionedException when events and changelog disagree in partitions
   * @throws KafkaException when the cluster refuses or does not answer within {@code timeout}
   */
  public static TopicReport apply(
      Admin admin, ProjectorTopics names, TopicPlan plan, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Integer> existing = partitions(admin, names.all(), deadline);
    List<WantedTopic> wanted = wanted(names, plan, existing);
    List<NewTopic> requests = new ArrayList<>();
    for (WantedTopic topic : wanted) {
      if (!existing.containsKey(topic.name())) {
        requests.add(
            new NewTopic(
                    topic.name(),
                    Optional.of(topic.partitions()),
                    Optional.ofNullable(plan.replicationFactor()))
                .configs(topic.configs()));
      }
    }
    List<String> found = new ArrayList<>(existing.keySet());
    refuseTooFewReplicas(admin, plan, requests, deadline);
    List<String> raced = create(admin, requests, deadline);
    if (!raced.isEmpty()) {
      // created by someone else meanwhile: judge them as found, co-partitioning included
      wanted(names, plan, partitions(admin, names.all(), deadline));
      found.addAll(raced);
    }
    awaitLeaders(admin, names.all(), deadline);
    awaitOnline(admin, names.all(), deadline);
    Map<String, Map<String, String>> actual = configs(admin, found, deadline);
    Map<String, Integer> counts = partitions(admin, names.all(), deadline);
    List<TopicReport.Entry> entries = new ArrayList<>();
    for (WantedTopic topic : wanted) {
      boolean isFound = found.contains(topic.name());
      entries.add(
          new TopicReport.Entry(
              topic.name(),
              isFound ? TopicReport.Action.FOUND : TopicReport.Action.CREATED,
              counts.getOrDefault(topic.name(), topic.partitions()),
              isFound ? found(topic.configs(), actual.get(topic.name())) : topic.configs(),
              isFound ? differences(topic.configs(), actual.get(topic.name())) : List.of()));
    }
    return new TopicReport(entries);
  }

  /**
   * The partition count of each of {@code topics} that exists (missing ones are left out).
   *
   * @throws KafkaException when the cluster refuses or does not answer
   */
  public static Map<String, Integer> partitions(
      Admin admin, Collection<String> topics, Duration timeout) {
    return partitions(admin, topics, System.nanoTime() + timeout.toNanos());
  }

  private static Map<String, Integer> partitions(
      Admin admin, Collection<String> topics, long deadline) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    describe(admin, topics, deadline)
        .forEach((topic, description) -> counts.put(topic, description.partitions().size()));
    return counts;
  }

  /**
   * Asks the cluster for its id within {@code within}: whether anybody answers at the bootstrap
   * servers, before requests that may wait longer. A {@link KafkaException} saying "describe: the
   * cluster did not answer in time" (a retriable cause) when nobody does.
   */
  public static void reach(Admin admin, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    await(
        admin
            .describeCluster(new DescribeClusterOptions().timeoutMs(remainingMs(deadline)))
            .clusterId(),
        deadline,
        "describe");
  }

  /** The descriptions of those of {@code topics} that exist. */
  private static Map<String, TopicDescription> describe(
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

  /**
   * A {@code min.insync.replicas} above the broker's default replication factor (the plan names
   * none) can never be met: the broker creates such topics without a word, and then holds an
   * acks=all write to fewer in-sync replicas than asked (or, on older brokers, refuses it). Asks
   * the cluster, without creating anything, what factor it would give the topics, and refuses
   * before creating any. The plan itself refuses the case where it names both.
   *
   * @throws TooFewReplicasException when the factor is below {@code min.insync.replicas}
   */
  private static void refuseTooFewReplicas(
      Admin admin, TopicPlan plan, List<NewTopic> requests, long deadline) {
    Integer minInsync = plan.minInsyncReplicas();
    if (minInsync == null || plan.replicationFactor() != null || requests.isEmpty()) {
      return;
    }
    CreateTopicsResult result =
        admin.createTopics(
            requests,
            new CreateTopicsOptions().validateOnly(true).timeoutMs(remainingMs(deadline)));
    for (NewTopic request : requests) {
      int factor;
      try {
        factor = await(result.replicationFactor(request.name()), deadline, "create");
      } catch (KafkaException e) {
        if (KafkaErrors.classify(e) == KafkaErrors.Kind.RETRIABLE) {
          throw e;
        }
        continue; // refused (or raced): the creation itself reports it as it would
      }
      if (factor > 0 && minInsync > factor) {
        throw new TooFewReplicasException(
            "min.insync.replicas "
                + minInsync
                + " is more than the replication factor "
                + factor
                + " the cluster gives new topics (its default.replication.factor): they could"
                + " never have "
                + minInsync
                + " replicas in sync; give --replication-factor or a lower"
                + " --min-insync-replicas");
      }
    }
  }

  /** Creates topics; returns the names that turned out to exist already (a concurrent creator). */
  private static List<String> create(Admin admin, List<NewTopic> requests, long deadline) {
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
   */
  private static void awaitOnline(Admin admin, List<String> topics, long deadline) {
    Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    partitions(admin, topics, deadline)
        .forEach(
            (topic, count) -> {
              for (int p = 0; p < count; p++) {
                partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
              }
            });
    await(
        admin
            .listOffsets(partitions, new ListOffsetsOptions().timeoutMs(remainingMs(deadline)))
            .all(),
        deadline,
        "list offsets of");
  }

  private static void awaitLeaders(Admin admin, List<String> topics, long deadline) {
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

  private static Map<String, Map<String, String>> configs(
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

  /** What a found topic has of the settings {@code wanted} names ("none" where it has none). */
  static Map<String, String> found(Map<String, String> wanted, Map<String, String> actual) {
    Map<String, String> out = new TreeMap<>();
    wanted
        .keySet()
        .forEach(
            name -> out.put(name, actual == null ? "none" : actual.getOrDefault(name, "none")));
    return out;
  }

  static List<String> differences(Map<String, String> wanted, Map<String, String> actual) {
    List<String> out = new ArrayList<>();
    new TreeMap<>(wanted)
        .forEach(
            (name, value) -> {
              String has = actual == null ? "none" : actual.getOrDefault(name, "none");
              if (!value.equals(has)) {
                out.add(name + "=" + has + " (wanted " + value + ")");
              }
            });
    return out;
  }

  /** Lets {@code e} pass (returns) when the cluster's answer was a {@code tolerated} error. */
  private static void rethrowUnlessCausedBy(
      KafkaException e, Class<? extends Throwable> tolerated) {
    if (!tolerated.isInstance(e.getCause())) {
      throw e;
    }
  }

  private static <T> T await(KafkaFuture<T> future, long deadline, String what) {
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

  private static int remainingMs(long deadline) {
    long ms = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }
}
