package dev.v2pledger.projector.topics;

import dev.v2pledger.runtime.kafka.KafkaErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;

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
    Map<String, Integer> existing = AdminCalls.partitions(admin, names.all(), deadline);
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
    List<String> raced = AdminCalls.create(admin, requests, deadline);
    if (!raced.isEmpty()) {
      // created by someone else meanwhile: judge them as found, co-partitioning included
      wanted(names, plan, AdminCalls.partitions(admin, names.all(), deadline));
      found.addAll(raced);
    }
    AdminCalls.awaitLeaders(admin, names.all(), deadline);
    AdminCalls.awaitOnline(admin, names.all(), deadline);
    Map<String, Map<String, String>> actual = AdminCalls.configs(admin, found, deadline);
    Map<String, Integer> counts = AdminCalls.partitions(admin, names.all(), deadline);
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
    return AdminCalls.partitions(admin, topics, System.nanoTime() + timeout.toNanos());
  }

  /**
   * Asks the cluster for its id within {@code within}: whether anybody answers at the bootstrap
   * servers, before requests that may wait longer. A {@link KafkaException} saying "describe: the
   * cluster did not answer in time" (a retriable cause) when nobody does.
   */
  public static void reach(Admin admin, Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    AdminCalls.await(
        admin
            .describeCluster(
                new DescribeClusterOptions().timeoutMs(AdminCalls.remainingMs(deadline)))
            .clusterId(),
        deadline,
        "describe");
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
            new CreateTopicsOptions()
                .validateOnly(true)
                .timeoutMs(AdminCalls.remainingMs(deadline)));
    for (NewTopic request : requests) {
      int factor;
      try {
        factor = AdminCalls.await(result.replicationFactor(request.name()), deadline, "create");
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
}
