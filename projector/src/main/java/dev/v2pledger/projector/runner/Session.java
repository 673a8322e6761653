package dev.v2pledger.projector.runner;

import dev.v2pledger.projector.metrics.ProjectorMetrics.Stage;
import dev.v2pledger.schema.domain.MappingKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One generation of a runner's Kafka clients and the work done with them: consume, fold, produce
 * and commit in time-boxed transactions, on two transactional producers in turn (DESIGN "The
 * latency path"); restore newly assigned partitions; commit before giving partitions away. A fenced
 * or broken session is closed whole and the runner opens a new one, so nothing here survives a
 * fencing: states are rebuilt from the changelog. Owned by the runner's thread (the consumer calls
 * the rebalance callbacks on it too).
 */
final class Session implements ConsumerRebalanceListener {
  private static final Logger LOG = LoggerFactory.getLogger(Session.class);

  private final RunnerParts parts;
  private final KafkaClients clients;
  private final ChangelogRestore restorer;
  private final long maxTxAgeNanos;
  private final long maxTxAgeUnderBacklogNanos;
  private final StateStore store = new StateStore();
  private final Transactions tx;
  private final Retirements retirements;
  private final GroupShare share;
  private final Runnable rebalanced;

  /** Per ready partition: the offset the last committed transaction (or the restore) resumes at. */
  private final Map<Integer, Long> committedPositions = new HashMap<>();

  private final Set<Integer> restoring = new TreeSet<>();
  private final Set<Integer> ready = new TreeSet<>();
  private boolean assignedOnce;

  /** An abort failed: the producer's transaction state is unknown, so the session is rebuilt. */
  private boolean abortFailed;

  private boolean callbacksActive = true;
  private final Backlog backlog;

  /** Rebuilds the states of newly assigned partitions (from the changelog, in production). */
  @FunctionalInterface
  interface ChangelogRestore {
    StateRestorer.Restored restore(Collection<Integer> partitions);
  }

  /**
   * @param restorer rebuilds the states of new partitions
   * @param rebalanced told at the end of each rebalance callback (the runner's status follows)
   */
  Session(RunnerParts parts, KafkaClients clients, ChangelogRestore restorer, Runnable rebalanced) {
    this.parts = parts;
    this.rebalanced = rebalanced;
    this.clients = clients;
    this.restorer = restorer;
    this.maxTxAgeNanos = parts.config().maxTxAge().toNanos();
    this.retirements = new Retirements(parts.config().retireAfter());
    this.maxTxAgeUnderBacklogNanos = parts.config().maxTxAgeUnderBacklog().toNanos();
    this.tx = new Transactions(parts, clients, store, retirements);
    ProjectorConfig config = parts.config();
    this.share =
        GroupShare.of(clients.admin, config.groupId(), config.topics().events(), config.nanoTime());
    this.backlog = new Backlog(parts, clients.consumer, ready);
  }

  void subscribe() {
    clients.consumer.subscribe(List.of(parts.config().topics().events()), this);
  }

  /** One poll and the processing and commits that follow it. */
  void step() {
    ProjectorConfig config = parts.config();
    if (!restoring.isEmpty()) {
      restorePending();
    }
    long ageLimit = backlog.found() ? maxTxAgeUnderBacklogNanos : maxTxAgeNanos;
    ConsumerRecords<byte[], byte[]> records =
        clients.consumer.poll(
            tx.isOpen()
                ? Duration.ofNanos(Math.max(0, ageLimit - tx.ageNanos(now())))
                : config.idlePoll());
    long polledAt = now();
    long polledAtMillis = config.clock().millis();
    boolean behind = backlog.afterPoll(records, polledAt);
    ageLimit = behind ? maxTxAgeUnderBacklogNanos : maxTxAgeNanos;
    int recordLimit = behind ? config.maxTxRecordsUnderBacklog() : config.maxTxRecords();
    // The box closes after the batch, not in it: events already polled join the transaction that
    // is past its box rather than wait behind its commit for the next one (a batch is at most
    // max.poll.records, folded in well under a millisecond each); the record limit still cuts.
    for (ConsumerRecord<byte[], byte[]> record : records) {
      parts.metrics().stage(Stage.POLLED, (polledAtMillis - record.timestamp()) * 1_000_000L);
      process(record, polledAt);
      if (tx.events() >= recordLimit) {
        commit();
      }
    }
    maybeRetire();
    boolean drained = records.isEmpty() && !behind;
    if (tx.isOpen() && (config.commitPerPoll() || drained || tx.ageNanos(now()) >= ageLimit)) {
      commit();
    }
  }

  /**
   * Whether nothing is left to redo: the group has answered this session (an assignment, possibly
   * empty: a standby), no transaction is open, no partition is restoring, and every partition is
   * read to its end (its lag known and not above zero; read_committed: up to the last stable
   * offset). A rewind leaves the lag above zero until the rewound events are processed, and
   * processing opens a transaction; a session rebuilt after a failure is not settled before its
   * first assignment.
   */
  boolean settled() {
    return assignedOnce && !tx.isOpen() && restoring.isEmpty() && backlog.readToEnd();
  }

  private void process(ConsumerRecord<byte[], byte[]> record, long polledAt) {
    if (!ready.contains(record.partition())) {
      throw new IllegalStateException(
          "a record of partition " + record.partition() + " arrived before its state was restored");
    }
    tx.begin();
    List<ProducerRecord<byte[], byte[]>> out =
        parts.processor().process(record, store, retirements);
    for (ProducerRecord<byte[], byte[]> produced : out) {
      tx.send(produced);
      parts.metrics().written(produced.topic(), 1);
    }
    long sentAt = now();
    parts.metrics().stage(Stage.SENT, sentAt - polledAt);
    tx.consumed(record.partition(), record.offset(), sentAt);
  }

  /**
   * Writes the tombstones of the retired keys and deleted states that are due (DESIGN "Bounded
   * growth"), in the open transaction (one is opened for them).
   */
  private void maybeRetire() {
    long nowMillis = parts.config().clock().millis();
    if (!retirements.anyDue(nowMillis)) {
      return;
    }
    tx.begin();
    tx.keepPositions(
        committedPositions); // fenced by the group like any other (DESIGN "Bounded growth")
    Map<MappingKey, Long> tombstones = retirements.apply(store, nowMillis);
    // in every partition: one the key hashed to before v2p.mappings grew keeps its last record
    // there, which without its own tombstone would be in force again once the key's newer
    // records are compacted away (DESIGN "Bounded growth")
    int partitions = tx.partitionCount(parts.config().topics().mappings());
    tombstones.forEach(
        (key, upTo) -> {
          for (int partition = 0; partition < partitions; partition++) {
            tx.send(parts.processor().mappingTombstone(key, upTo, partition));
          }
        });
    parts.metrics().written(parts.config().topics().mappings(), tombstones.size() * partitions);
  }

  /** Commits the open transaction (DESIGN "The latency path"); its offsets are where we resume. */
  void commit() {
    committedPositions.putAll(tx.commit());
  }

  /**
   * Aborts the open transaction, puts back the states it changed and rewinds the consumer to the
   * committed positions, so its events are processed again.
   *
   * @return false when the abort failed, now or before (as in {@link #onPartitionsLost}): the
   *     session must then be closed and rebuilt, its producer's transaction state is unknown
   */
  boolean abortAndRewind() {
    abortFailed |= !tx.abort();
    boolean clean = !abortFailed;
    store.rollback();
    retirements.rolledBack();
    if (clean) {
      for (int partition : ready) {
        clients.consumer.seek(tp(partition), committedPositions.get(partition));
      }
    }
    return clean;
  }

  /** Aborts the open transaction if it can; for sessions about to be closed. */
  void abortQuietly() {
    tx.abort();
  }

  /** A clean stop: commits what is open. */
  void finish() {
    commit();
  }

  void wakeup() {
    clients.consumer.wakeup();
  }

  /** Closes the clients; the rebalance callbacks only drop state from here on. */
  void close(Duration timeout, boolean leaveGroup) {
    callbacksActive = false;
    share.close();
    clients.close(timeout, leaveGroup);
  }

  /** After the runner died: stops the group consumer's heartbeats, nothing else. */
  void abandon(Duration timeout) {
    callbacksActive = false;
    clients.closeConsumerRemainingInGroup(timeout);
  }

  private void restorePending() {
    commit();
    List<Integer> partitions = new ArrayList<>(restoring);
    Set<TopicPartition> tps = new HashSet<>(partitions.stream().map(this::tp).toList());
    long started = now();
    Set<Integer> uncommitted = new TreeSet<>();
    Map<Integer, Long> positions =
        StateRestorer.seekToCommitted(
            clients.consumer, tps, parts.config().kafkaTimeout(), uncommitted);
    StateRestorer.Restored restored = restorer.restore(partitions);
    FoldedFrom.seek(clients.consumer, tp(0).topic(), restored.foldAgain(), positions);
    restored.warnIfOffsetsLost(parts.config().instanceId(), tp(0).topic(), uncommitted);
    restored.states().forEach(store::load);
    restored.states().forEach((p, states) -> retirements.restored(p, states.values(), restored));
    committedPositions.putAll(positions);
    restoring.removeAll(partitions);
    ready.addAll(partitions);
    clients.consumer.resume(tps);
    parts.metrics().restored(now() - started, restored.records());
    LOG.info(
        "{}: restored partitions {} ({} instances from {} changelog records in {} ms), resuming at"
            + " offsets {}",
        parts.config().instanceId(),
        partitions,
        restored.states().values().stream().mapToInt(Map::size).sum(),
        restored.records(),
        (now() - started) / 1_000_000,
        positions);
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (!callbacksActive || partitions.isEmpty()) {
      drop(partitions);
      return;
    }
    parts.metrics().rebalance("revoked");
    try {
      commit(); // still the owner: KIP-447 accepts offsets of this generation
    } finally {
      drop(partitions);
      rebalanced.run();
    }
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    drop(partitions);
    if (!callbacksActive) {
      return;
    }
    parts.metrics().rebalance("lost");
    share.rejoined(); // the consumer joins again as a new member
    assignedOnce = false; // not settled before the group answers the new member
    rebalanced.run();
    if (tx.isOpen() && !abortAndRewind()) {
      throw new KafkaException("partitions " + partitions + " lost and the abort failed");
    }
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    if (!callbacksActive) {
      return;
    }
    assignedOnce = true;
    if (!partitions.isEmpty()) {
      parts.metrics().rebalance("assigned");
      clients.consumer.pause(partitions);
      partitions.forEach(tp -> restoring.add(tp.partition()));
      LOG.info("{}: assigned partitions {}", parts.config().instanceId(), numbers(partitions));
    }
    rebalanced.run();
  }

  private void drop(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      store.drop(tp.partition());
      retirements.drop(tp.partition());
      ready.remove(tp.partition());
      restoring.remove(tp.partition());
      committedPositions.remove(tp.partition());
      parts.metrics().unassigned(tp.partition());
    }
    if (!partitions.isEmpty() && callbacksActive) {
      LOG.info("{}: gave up partitions {}", parts.config().instanceId(), numbers(partitions));
    }
  }

  private static List<Integer> numbers(Collection<TopicPartition> partitions) {
    return partitions.stream().map(TopicPartition::partition).sorted().toList();
  }

  private TopicPartition tp(int partition) {
    return new TopicPartition(parts.config().topics().events(), partition);
  }

  private long now() {
    return parts.config().nanoTime().getAsLong();
  }

  /**
   * Why this member does not hold its share of the partitions yet ({@link GroupShare}), or null.
   */
  @Nullable String waitingForShare() {
    return share.waitingFor(() -> clients.consumer.groupMetadata().memberId(), assigned());
  }

  boolean assignedOnce() {
    return assignedOnce;
  }

  Set<Integer> assigned() {
    Set<Integer> all = new TreeSet<>(ready);
    all.addAll(restoring);
    return all;
  }

  Set<Integer> restoring() {
    return new TreeSet<>(restoring);
  }

  long instances() {
    return store.size();
  }

  long commits() {
    return tx.commits();
  }

  /** The partitions ready here, each at the offset its last commit (or restore) resumes at. */
  Map<Integer, Long> committedPositions() {
    return Map.copyOf(committedPositions);
  }

  /**
   * The ready partitions the consumer has read past that offset: those whose events an abort
   * rewinds (all of them when a position is not known now).
   */
  Set<Integer> readPastCommitted() {
    Set<Integer> read = new TreeSet<>(committedPositions.keySet());
    try {
      read.removeIf(
          p -> clients.consumer.position(tp(p), Duration.ZERO) <= committedPositions.get(p));
    } catch (RuntimeException e) {
      return new TreeSet<>(committedPositions.keySet());
    }
    return read;
  }
}
