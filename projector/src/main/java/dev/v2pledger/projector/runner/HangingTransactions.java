package dev.v2pledger.projector.runner;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.AbortTransactionSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeProducersResult.PartitionProducerState;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.internals.Topic;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and aborts <em>hanging</em> transactions, as {@code kafka-transactions.sh find-hanging} and
 * {@code abort} would: a partition holds an open transaction of a producer for which the
 * transaction coordinator has no transaction in progress, so no marker will ever close it, and
 * every {@code read_committed} reader of the partition stops at its first offset for good. Kafka
 * can leave one behind when a broker goes away while a producer's writes are in flight. A
 * transaction the coordinator knows (ongoing, or being committed or aborted) is never touched: the
 * coordinator finishes it or times it out, and one that was still open when the coordinator was
 * asked but has closed since is not reported. Nothing is aborted unless every partition of {@code
 * __transaction_state} had the same leader before and after the listing (one without a leader
 * leaves its coordinator out of the listing without an error); the watch, which only reports, does
 * not ask that.
 *
 * <p>Aborting writes the abort marker through the partition's leader ({@code WriteTxnMarkers}),
 * which needs the {@code ClusterAction} permission on the cluster; without it the finding is
 * reported with the command an operator can run.
 */
final class HangingTransactions {
  private static final Logger LOG = LoggerFactory.getLogger(HangingTransactions.class);

  /** States in which the coordinator will still write markers for a producer's transaction. */
  private static final Set<TransactionState> IN_PROGRESS =
      EnumSet.of(
          TransactionState.ONGOING,
          TransactionState.PREPARE_COMMIT,
          TransactionState.PREPARE_ABORT,
          TransactionState.PREPARE_EPOCH_FENCE);

  /** One open transaction on a partition that no coordinator will close. */
  record Hanging(TopicPartition partition, ProducerState producer) {
    long startOffset() {
      return producer.currentTransactionStartOffset().orElse(-1);
    }

    /** The same open transaction, found again: partition, producer id and epoch, first offset. */
    String id() {
      return partition
          + "/"
          + producer.producerId()
          + "/"
          + producer.producerEpoch()
          + "/"
          + startOffset();
    }

    /** What an operator runs to close it by hand. */
    String command(String bootstrapServers) {
      return "kafka-transactions.sh --bootstrap-server "
          + bootstrapServers
          + " abort --topic "
          + partition.topic()
          + " --partition "
          + partition.partition()
          + " --start-offset "
          + startOffset();
    }

    @Override
    public String toString() {
      return partition
          + " from offset "
          + startOffset()
          + " (producer id "
          + producer.producerId()
          + ", epoch "
          + producer.producerEpoch()
          + ")";
    }
  }

  private final Admin admin;
  private final long timeoutMs;

  HangingTransactions(Admin admin, long timeoutMs) {
    this.admin = admin;
    this.timeoutMs = timeoutMs;
  }

  /** The open transactions on {@code partitions} whose producer the coordinators do not know. */
  List<Hanging> find(Collection<TopicPartition> partitions) {
    return find(partitions, false);
  }

  /**
   * As above; {@code certain}: only if every coordinator could answer the listing, its partition of
   * {@code __transaction_state} led by the same broker before and after it (one without a leader is
   * left out of the listing without an error), so that aborting one cannot undo a commit.
   */
  private List<Hanging> find(Collection<TopicPartition> partitions, boolean certain) {
    Map<TopicPartition, PartitionProducerState> producers =
        get(admin.describeProducers(partitions).all(), "describing the producers of " + partitions);
    List<Hanging> open = new ArrayList<>();
    Set<Long> producerIds = new HashSet<>();
    producers.forEach(
        (tp, state) -> {
          for (ProducerState producer : state.activeProducers()) {
            if (producer.currentTransactionStartOffset().isPresent()) {
              open.add(new Hanging(tp, producer));
              producerIds.add(producer.producerId());
            }
          }
        });
    if (open.isEmpty()) {
      return List.of();
    }
    Map<Integer, Integer> leaders = certain ? coordinatorLeaders() : Map.of();
    if (leaders == null) {
      return List.of();
    }
    Collection<TransactionListing> listings =
        get(
            admin
                .listTransactions(new ListTransactionsOptions().filterProducerIds(producerIds))
                .all(),
            "listing the transactions of producers " + producerIds);
    Set<Long> inProgress = new HashSet<>();
    for (TransactionListing listing : listings) {
      if (IN_PROGRESS.contains(listing.state())) {
        inProgress.add(listing.producerId());
      }
    }
    open.removeIf(h -> inProgress.contains(h.producer().producerId()));
    if (open.isEmpty()) {
      return open;
    }
    if (certain && !leaders.equals(coordinatorLeaders())) {
      LOG.warn(
          "cannot tell whether {} hang: a transaction coordinator moved during the listing; not"
              + " aborted, looked at again later",
          open);
      return List.of();
    }
    // A transaction that completed between the two calls above was open in the first and is no
    // longer in progress in the second: its coordinator writes CompleteCommit/CompleteAbort only
    // after every marker landed, so looking again now tells it apart from a hanging one.
    List<TopicPartition> again = open.stream().map(Hanging::partition).distinct().toList();
    Map<TopicPartition, PartitionProducerState> now =
        get(admin.describeProducers(again).all(), "describing the producers of " + again);
    open.removeIf(h -> !stillOpen(h, now.get(h.partition())));
    return open;
  }

  private static boolean stillOpen(Hanging h, PartitionProducerState state) {
    if (state == null) {
      return false;
    }
    for (ProducerState p : state.activeProducers()) {
      if (p.producerId() == h.producer().producerId()
          && p.producerEpoch() == h.producer().producerEpoch()
          && p.currentTransactionStartOffset()
              .equals(h.producer().currentTransactionStartOffset())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The leader of each partition of {@code __transaction_state} (its transaction coordinator), or
   * null, logged, when one has none (it is left out of the listing without an error: a transaction
   * it committed whose markers are not all written yet would look hanging) or the topic cannot be
   * described (it needs Describe on it, docs/SECURITY.md).
   */
  private @Nullable Map<Integer, Integer> coordinatorLeaders() {
    TopicDescription coordinators;
    try {
      coordinators =
          get(
                  admin.describeTopics(List.of(Topic.TRANSACTION_STATE_TOPIC_NAME)).allTopicNames(),
                  "describing " + Topic.TRANSACTION_STATE_TOPIC_NAME)
              .get(Topic.TRANSACTION_STATE_TOPIC_NAME);
    } catch (KafkaException e) {
      LOG.warn("cannot tell whether a transaction hangs, so none is aborted: {}", e.getMessage());
      return null;
    }
    List<Integer> leaderless = leaderless(coordinators);
    if (!leaderless.isEmpty()) {
      LOG.warn(
          "cannot tell whether a transaction hangs, so none is aborted: partitions {} of {} have"
              + " no leader (their coordinators are not listed); looked at again later",
          leaderless,
          Topic.TRANSACTION_STATE_TOPIC_NAME);
      return null;
    }
    Map<Integer, Integer> leaders = new TreeMap<>();
    coordinators.partitions().forEach(p -> leaders.put(p.partition(), p.leader().id()));
    return leaders;
  }

  /** The partitions of {@code topic} without a leader now. */
  static List<Integer> leaderless(TopicDescription topic) {
    List<Integer> out = new ArrayList<>();
    for (TopicPartitionInfo partition : topic.partitions()) {
      if (partition.leader() == null || partition.leader().isEmpty()) {
        out.add(partition.partition());
      }
    }
    return out;
  }

  /** What {@link #resolve} found, and those of them it aborted. */
  record Resolved(List<Hanging> found, List<Hanging> aborted) {}

  /**
   * Finds the hanging transactions on {@code partitions} and aborts those the check before found
   * too, logging both (those that cannot be aborted with the command to run).
   *
   * @param bootstrapServers for the command in the message
   * @param seenBefore the {@link Hanging#id}s the check before found
   * @param beforeAbort called before each abort; what it throws prevents the abort, and is thrown
   */
  Resolved resolve(
      Collection<TopicPartition> partitions,
      String bootstrapServers,
      Set<String> seenBefore,
      Consumer<Hanging> beforeAbort) {
    List<Hanging> found = find(partitions, true);
    if (found.isEmpty()) {
      return new Resolved(found, List.of());
    }
    // Aborted only when the check before found it too: one listing may miss a coordinator that
    // lost its partition and got it back in between (the leader the same before and after)
    List<Hanging> again = found.stream().filter(h -> seenBefore.contains(h.id())).toList();
    LOG.warn(
        "hanging transactions (no coordinator has them in progress): {}{}",
        found,
        again.size() == found.size() ? "" : "; aborted once a second check finds them too");
    again.forEach(beforeAbort);
    List<Hanging> left = abort(again, bootstrapServers);
    return new Resolved(found, again.stream().filter(h -> !left.contains(h)).toList());
  }

  /**
   * Aborts {@code hanging}; returns those it could not abort (logged with the command to run).
   *
   * @param bootstrapServers for the command in the message
   */
  List<Hanging> abort(List<Hanging> hanging, String bootstrapServers) {
    List<Hanging> left = new ArrayList<>();
    for (Hanging h : hanging) {
      AbortTransactionSpec spec =
          new AbortTransactionSpec(
              h.partition(),
              h.producer().producerId(),
              (short) h.producer().producerEpoch(),
              h.producer().coordinatorEpoch().orElse(-1));
      try {
        get(admin.abortTransaction(spec).all(), "aborting the hanging transaction on " + h);
        LOG.warn(
            "aborted a hanging transaction on {}: no coordinator had it in progress, so nothing"
                + " else would ever close it",
            h);
      } catch (KafkaException e) {
        LOG.error(
            "a hanging transaction on {} blocks read_committed readers and could not be aborted"
                + " ({}); run: {}",
            h,
            e.getMessage(),
            h.command(bootstrapServers));
        left.add(h);
      }
    }
    return left;
  }

  private <T> T get(KafkaFuture<T> future, String what) {
    return AdminCalls.get(future, timeoutMs, what);
  }
}
