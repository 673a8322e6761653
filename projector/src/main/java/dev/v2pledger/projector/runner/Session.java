package dev.v2pledger.projector.runner;

import dev.v2pledger.projector.metrics.ProjectorMetrics;
import dev.v2pledger.projector.metrics.ProjectorMetrics.CommitStep;
import dev.v2pledger.projector.metrics.ProjectorMetrics.Stage;
import dev.v2pledger.projector.runner.Probe.Point;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
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
  /** How often the group's assignment is looked at for partitions no member holds. */
  static final Duration ORPHAN_LOOK = Duration.ofSeconds(5);

  /** A look never holds the poll loop longer than this (a slow broker: the next look decides). */
  static final Duration ORPHAN_LOOK_TIMEOUT = Duration.ofSeconds(2);

  /** How long partitions must stay with nobody in a stable group before the group is shaken. */
  static final Duration ORPHAN_BOUND = Duration.ofSeconds(15);

  private static final Logger LOG = LoggerFactory.getLogger(Session.class);

  private final ProjectorConfig config;
  private final ProjectorMetrics metrics;
  private final EventProcessor processor;
  private final KafkaClients clients;
  private final ChangelogRestore restorer;
  private final Runnable checkpoint;
  private final long maxTxAgeNanos;
  private final long maxTxAgeUnderBacklogNanos;
  private final StateStore store = new StateStore();
  private final OpenTransaction tx = new OpenTransaction();
  private final Retirements retirements;

  /** Per partition: the offset the last committed transaction (or the restore) resumes at. */
  private final Map<Integer, Long> committedPositions = new HashMap<>();

  private final Set<Integer> restoring = new TreeSet<>();
  private final Set<Integer> ready = new TreeSet<>();
  private final AtomicReference<Exception> sendError = new AtomicReference<>();
  private final Callback onSent =
      (metadata, error) -> {
        if (error != null) {
          sendError.compareAndSet(null, error);
        }
      };

  /** The producer of the open transaction, or of the next one: the two take turns. */
  private int turn;

  private boolean assignedOnce;
  private boolean callbacksActive = true;
  private final Orphans orphans = new Orphans(ORPHAN_BOUND.toNanos());
  private long nextOrphanLook;
  private long commits;

  /** Rebuilds the states of newly assigned partitions (from the changelog, in production). */
  @FunctionalInterface
  interface ChangelogRestore {
    StateRestorer.Restored restore(Collection<Integer> partitions);
  }

  /**
   * @param restorer rebuilds the states of new partitions
   * @param checkpoint called between steps; throws to abandon the session (kill)
   */
  Session(
      ProjectorConfig config,
      ProjectorMetrics metrics,
      EventProcessor processor,
      KafkaClients clients,
      ChangelogRestore restorer,
      Runnable checkpoint) {
    this.config = config;
    this.metrics = metrics;
    this.processor = processor;
    this.clients = clients;
    this.restorer = restorer;
    this.checkpoint = checkpoint;
    this.maxTxAgeNanos = config.maxTxAge().toNanos();
    this.retirements = new Retirements(config.retireAfter());
    this.maxTxAgeUnderBacklogNanos = config.maxTxAgeUnderBacklog().toNanos();
  }

  void subscribe() {
    clients.consumer.subscribe(List.of(config.topics().events()), this);
  }

  /** One poll and the processing and commits that follow it. */
  void step() {
    if (!restoring.isEmpty()) {
      restorePending();
    }
    Duration timeout =
        tx.isOpen()
            ? Duration.ofNanos(Math.max(0, maxTxAgeNanos - tx.ageNanos(now())))
            : config.idlePoll();
    ConsumerRecords<byte[], byte[]> records = clients.consumer.poll(timeout);
    long polledAt = now();
    long polledAtMillis = config.clock().millis();
    checkpoint.run();
    boolean perPoll = config.commitPerPoll();
    boolean backlog = records.count() >= config.maxPollRecords();
    long ageLimit = backlog ? maxTxAgeUnderBacklogNanos : maxTxAgeNanos;
    int recordLimit = backlog ? config.maxTxRecordsUnderBacklog() : config.maxTxRecords();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      metrics.stage(Stage.POLLED, (polledAtMillis - record.timestamp()) * 1_000_000L);
      process(record, polledAt);
      if (tx.events() >= recordLimit || (!perPoll && tx.ageNanos(now()) >= ageLimit)) {
        commit();
      }
    }
    maybeRetire();
    if (tx.isOpen() && (perPoll || records.isEmpty() || tx.ageNanos(now()) >= ageLimit)) {
      commit();
    }
    for (int partition : ready) {
      clients.consumer.currentLag(tp(partition)).ifPresent(lag -> metrics.lag(partition, lag));
    }
    if (!tx.isOpen() && now() >= nextOrphanLook) {
      nextOrphanLook = now() + ORPHAN_LOOK.toNanos();
      lookForOrphans();
    }
  }

  /**
   * Whether the group, stable, has left partitions of the events topic with no member (see {@link
   * OrphanedPartitionsException}); the member with the first member id says so, once they have
   * stayed orphans for {@link #ORPHAN_BOUND}. A failed look is skipped: the next one decides.
   */
  private void lookForOrphans() {
    String group = config.groupId();
    ConsumerGroupDescription description;
    int partitions;
    try {
      description =
          clients
              .admin
              .describeConsumerGroups(List.of(group))
              .describedGroups()
              .get(group)
              .get(ORPHAN_LOOK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      partitions = clients.consumer.partitionsFor(config.topics().events()).size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.apache.kafka.common.errors.InterruptException(e);
    } catch (Exception e) {
      LOG.debug("{}: could not describe group {}: {}", config.instanceId(), group, e.toString());
      return;
    }
    Set<Integer> unowned = new TreeSet<>();
    for (int p = 0; p < partitions; p++) {
      unowned.add(p);
    }
    String first = null;
    for (MemberDescription member : description.members()) {
      for (TopicPartition tp : member.assignment().topicPartitions()) {
        if (tp.topic().equals(config.topics().events())) {
          unowned.remove(tp.partition());
        }
      }
      if (first == null || member.consumerId().compareTo(first) < 0) {
        first = member.consumerId();
      }
    }
    Set<Integer> orphaned =
        orphans.observe(description.groupState() == GroupState.STABLE, unowned, now());
    if (!orphaned.isEmpty() && clients.consumer.groupMetadata().memberId().equals(first)) {
      throw new OrphanedPartitionsException(group, orphaned);
    }
  }

  private void process(ConsumerRecord<byte[], byte[]> record, long polledAt) {
    if (!ready.contains(record.partition())) {
      throw new IllegalStateException(
          "a record of partition " + record.partition() + " arrived before its state was restored");
    }
    begin();
    List<ProducerRecord<byte[], byte[]>> out = processor.process(record, store, retirements);
    for (ProducerRecord<byte[], byte[]> produced : out) {
      producer().send(produced, onSent);
      metrics.written(produced.topic(), 1);
    }
    long sentAt = now();
    metrics.stage(Stage.SENT, sentAt - polledAt);
    tx.consumed(record.partition(), record.offset(), sentAt);
    probe(Point.EVENT_PROCESSED);
    Exception failed = sendError.get();
    if (failed != null) {
      throw new KafkaException("a send of the open transaction failed", failed);
    }
  }

  /**
   * Writes the tombstones of the retired keys and deleted states that are due (DESIGN "Bounded
   * growth"), in the open transaction (one is opened for them).
   */
  private void maybeRetire() {
    long nowMillis = config.clock().millis();
    if (!retirements.anyDue(nowMillis)) {
      return;
    }
    begin();
    List<MappingKey> tombstones = retirements.apply(store, nowMillis);
    for (MappingKey key : tombstones) {
      producer().send(processor.mappingTombstone(key), onSent);
    }
    metrics.written(config.topics().mappings(), tombstones.size());
  }

  /** Opens a transaction on the producer whose turn it is, unless one is open. */
  private void begin() {
    if (!tx.isOpen()) {
      sendError.set(null);
      producer().beginTransaction();
      tx.begin(now());
    }
  }

  private org.apache.kafka.clients.producer.Producer<byte[], byte[]> producer() {
    return clients.producers.get(turn);
  }

  /**
   * Writes the changed states and the offsets, and commits the open transaction; the next one is
   * the other producer's.
   */
  void commit() {
    if (!tx.isOpen()) {
      return;
    }
    probe(Point.BEFORE_COMMIT);
    long started = now();
    List<StateStore.Changed> changed = store.changed();
    for (StateStore.Changed state : changed) {
      producer().send(processor.stateRecord(state), onSent);
    }
    metrics.written(config.topics().instanceState(), changed.size());
    long statesSent = now();
    metrics.commitStep(CommitStep.STATES, statesSent - started);
    probe(Point.STATE_WRITTEN);
    ConsumerGroupMetadata member = clients.consumer.groupMetadata();
    if (member.generationId() < 0 || member.memberId().isEmpty()) {
      // not (or no longer) a group member: the consumer protocol reports generation -1 after its
      // own poll timeout, and a broker accepts transactional offsets that carry no generation
      // (ClassicGroup.validateOffsetCommit), so refuse to send them
      throw new CommitFailedException(
          "this consumer is not a group member (generation "
              + member.generationId()
              + "); its partitions may have moved");
    }
    var offsets = tx.offsets(config.topics().events());
    if (!offsets.isEmpty()) { // a transaction of tombstones only consumed nothing
      producer().sendOffsetsToTransaction(offsets, member);
    }
    long offsetsSent = now();
    metrics.commitStep(CommitStep.OFFSETS, offsetsSent - statesSent);
    probe(Point.OFFSETS_SENT);
    producer().commitTransaction();
    long committed = now();
    metrics.commitStep(CommitStep.END, committed - offsetsSent);
    metrics.committed(committed - started, tx.events());
    for (int i = 0; i < tx.events(); i++) {
      metrics.stage(Stage.COMMITTED, committed - tx.sentAt(i));
    }
    turn = (turn + 1) % clients.producers.size();
    store.committed();
    retirements.committed();
    committedPositions.putAll(tx.nextOffsets());
    tx.close();
    commits++;
    probe(Point.COMMITTED);
  }

  /**
   * Aborts the open transaction, puts back the states it changed and rewinds the consumer to the
   * committed positions, so its events are processed again.
   *
   * @return false when the abort failed: the session must then be closed and rebuilt
   */
  boolean abortAndRewind() {
    boolean clean = true;
    if (tx.isOpen()) {
      try {
        producer().abortTransaction();
        metrics.aborted();
      } catch (RuntimeException e) {
        checkpoint.run();
        LOG.debug("abortTransaction failed", e);
        clean = false;
      }
    }
    store.rollback();
    retirements.rolledBack();
    tx.close();
    sendError.set(null);
    if (clean) {
      for (int partition : ready) {
        clients.consumer.seek(tp(partition), committedPositions.get(partition));
      }
    }
    return clean;
  }

  /** Aborts the open transaction if it can; for sessions about to be closed. */
  void abortQuietly() {
    if (tx.isOpen()) {
      try {
        producer().abortTransaction();
        metrics.aborted();
      } catch (RuntimeException e) {
        LOG.debug("abortTransaction failed", e);
      }
      tx.close();
    }
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
    clients.close(timeout, leaveGroup);
  }

  private void restorePending() {
    commit();
    List<Integer> partitions = new ArrayList<>(restoring);
    Set<TopicPartition> tps = new HashSet<>();
    partitions.forEach(p -> tps.add(tp(p)));
    long started = now();
    Map<TopicPartition, OffsetAndMetadata> committed =
        clients.consumer.committed(tps, config.kafkaTimeout());
    for (TopicPartition tp : tps) {
      OffsetAndMetadata offset = committed.get(tp);
      if (offset != null) {
        clients.consumer.seek(tp, offset);
      } else {
        clients.consumer.seekToBeginning(List.of(tp));
      }
    }
    Map<Integer, Long> positions = new HashMap<>();
    for (TopicPartition tp : tps) {
      positions.put(tp.partition(), clients.consumer.position(tp, config.kafkaTimeout()));
    }
    StateRestorer.Restored restored = restorer.restore(partitions);
    restored.states().forEach(store::load);
    restored
        .states()
        .forEach((p, states) -> retirements.restored(p, states.values(), restored.writtenAt()));
    committedPositions.putAll(positions);
    restoring.removeAll(partitions);
    ready.addAll(partitions);
    clients.consumer.resume(tps);
    metrics.restored(now() - started, restored.records());
    LOG.info(
        "{}: restored partitions {} ({} instances from {} changelog records in {} ms), resuming at"
            + " offsets {}",
        config.instanceId(),
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
    metrics.rebalance("revoked");
    try {
      commit(); // still the owner: KIP-447 accepts offsets of this generation
    } finally {
      drop(partitions);
    }
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    drop(partitions);
    if (!callbacksActive) {
      return;
    }
    metrics.rebalance("lost");
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
    if (partitions.isEmpty()) {
      return;
    }
    metrics.rebalance("assigned");
    clients.consumer.pause(partitions);
    partitions.forEach(tp -> restoring.add(tp.partition()));
    LOG.info("{}: assigned partitions {}", config.instanceId(), numbers(partitions));
  }

  private void drop(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      store.drop(tp.partition());
      retirements.drop(tp.partition());
      ready.remove(tp.partition());
      restoring.remove(tp.partition());
      committedPositions.remove(tp.partition());
      metrics.unassigned(tp.partition());
    }
    if (!partitions.isEmpty() && callbacksActive) {
      LOG.info("{}: gave up partitions {}", config.instanceId(), numbers(partitions));
    }
  }

  private static List<Integer> numbers(Collection<TopicPartition> partitions) {
    return partitions.stream().map(TopicPartition::partition).sorted().toList();
  }

  private void probe(Point point) {
    config.probe().at(point);
    checkpoint.run();
  }

  private TopicPartition tp(int partition) {
    return new TopicPartition(config.topics().events(), partition);
  }

  private long now() {
    return config.nanoTime().getAsLong();
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
    return commits;
  }
}
