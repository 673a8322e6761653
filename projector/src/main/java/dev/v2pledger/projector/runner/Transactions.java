package dev.v2pledger.projector.runner;

import dev.v2pledger.projector.metrics.ProjectorMetrics;
import dev.v2pledger.projector.metrics.ProjectorMetrics.CommitStep;
import dev.v2pledger.projector.metrics.ProjectorMetrics.Stage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's transactions, one open at a time, on two transactional producers that take turns
 * (DESIGN "The latency path"): records are sent into the open transaction as events are folded; the
 * commit writes the changed states and the consumed offsets, then ends it, and the next transaction
 * is the other producer's. An abort puts nothing back by itself: the session rolls back its states
 * and rewinds.
 */
final class Transactions {
  private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);

  private final RunnerParts parts;
  private final KafkaClients clients;
  private final StateStore store;
  private final Retirements retirements;
  private final OpenTransaction tx = new OpenTransaction();
  private final AtomicReference<Exception> sendError = new AtomicReference<>();
  private final Callback onSent =
      (metadata, error) -> {
        if (error != null) {
          sendError.compareAndSet(null, error);
        }
      };

  /** The producer of the open transaction, or of the next one. */
  private int turn;

  private long commits;

  Transactions(RunnerParts parts, KafkaClients clients, StateStore store, Retirements retirements) {
    this.parts = parts;
    this.clients = clients;
    this.store = store;
    this.retirements = retirements;
  }

  boolean isOpen() {
    return tx.isOpen();
  }

  long ageNanos(long now) {
    return tx.ageNanos(now);
  }

  int events() {
    return tx.events();
  }

  long commits() {
    return commits;
  }

  /**
   * Opens a transaction on the producer whose turn it is, unless one is open: before every event,
   * even one that writes nothing, so that its offset is committed. The schemas it writes are
   * registered first ({@link OwnSchemas#beforeWrite}, which may fail the attempt).
   */
  void begin() {
    if (!tx.isOpen()) {
      parts.ownSchemas().beforeWrite();
      sendError.set(null);
      producer().beginTransaction();
      tx.begin(now());
    }
  }

  /**
   * Sends these committed positions again with the open transaction (DESIGN "Bounded growth"): one
   * that only writes tombstones and states consumed no event, and a transaction without offsets is
   * not checked against the group, so a stalled former owner could commit it (KIP-447).
   */
  void keepPositions(Map<Integer, Long> positions) {
    positions.forEach(tx::keepPosition);
  }

  /**
   * How many partitions {@code topic} has now: the most either producer's metadata knows (each
   * refreshes on its own; the records of a key went where the producer that wrote them saw it).
   */
  int partitionCount(String topic) {
    int partitions = 0;
    for (Producer<byte[], byte[]> producer : clients.producers) {
      partitions = Math.max(partitions, producer.partitionsFor(topic).size());
    }
    return partitions;
  }

  /**
   * Sends {@code record} in the open transaction. A dead letter refused as too large is told to the
   * processor, so that the next attempt sends a smaller one (the transaction fails either way).
   */
  void send(ProducerRecord<byte[], byte[]> record) {
    begin();
    if (!record.topic().equals(parts.config().topics().dlq())) {
      producer().send(record, onSent);
      return;
    }
    producer()
        .send(
            record,
            (metadata, error) -> {
              if (error instanceof RecordTooLargeException) {
                parts.processor().letterTooLarge(record);
              }
              onSent.onCompletion(metadata, error);
            });
  }

  /**
   * Counts one consumed event, its records sent at {@code sentAt}; fails if a send of the open
   * transaction has failed.
   */
  void consumed(int partition, long offset, long sentAt) {
    tx.consumed(partition, offset, sentAt);
    Exception failed = sendError.get();
    if (failed != null) {
      throw new KafkaException("a send of the open transaction failed", failed);
    }
  }

  /**
   * Writes the changed states and the offsets, and commits the open transaction; the next one is
   * the other producer's.
   *
   * @return the offsets the committed transaction resumes at, per partition (empty if none was
   *     open)
   */
  Map<Integer, Long> commit() {
    if (!tx.isOpen()) {
      return Map.of();
    }
    ProjectorMetrics metrics = parts.metrics();
    long started = now();
    List<StateStore.Changed> changed = store.changed();
    for (StateStore.Changed state : changed) {
      ProducerRecord<byte[], byte[]> record = parts.processor().stateRecord(state);
      String retiredAt = state.state() == null ? null : retirements.header(state.state());
      if (retiredAt != null) { // a restore counts each retired key from its own retirement
        record.headers().add(Retirements.HEADER, retiredAt.getBytes(StandardCharsets.UTF_8));
      }
      Long foldedFrom = tx.foldedFrom(state.partition());
      if (foldedFrom != null) { // what to fold again if an abort undoes this commit: FoldedFrom
        record.headers().add(FoldedFrom.HEADER, FoldedFrom.value(foldedFrom));
      }
      producer().send(record, onSent);
    }
    metrics.written(parts.config().topics().instanceState(), changed.size());
    long statesSent = now();
    metrics.commitStep(CommitStep.STATES, statesSent - started);
    ConsumerGroupMetadata member = clients.consumer.groupMetadata();
    if (member.generationId() < 0 || member.memberId().isEmpty()) {
      // no member and no generation (a consumer that has not joined, or one that reports its
      // leaving so): the group coordinator accepts transactional offsets that carry neither from
      // anyone, even over a live member's partitions (ZombieCommitIT), so refuse to send them
      throw new CommitFailedException(
          "this consumer is not a group member (generation "
              + member.generationId()
              + "); its partitions may have moved");
    }
    var offsets = tx.offsets(parts.config().topics().events());
    if (!offsets.isEmpty()) { // empty only when it wrote nothing: see keepPositions
      producer().sendOffsetsToTransaction(offsets, member);
    }
    long offsetsSent = now();
    metrics.commitStep(CommitStep.OFFSETS, offsetsSent - statesSent);
    producer().commitTransaction();
    long committed = now();
    metrics.commitStep(CommitStep.END, committed - offsetsSent);
    metrics.committed(committed - started, tx.events());
    for (int i = 0; i < tx.events(); i++) {
      metrics.stage(Stage.COMMITTED, committed - tx.sentAt(i));
    }
    nextTurn();
    store.committed();
    retirements.committed();
    Map<Integer, Long> next = Map.copyOf(tx.nextOffsets());
    tx.close();
    commits++;
    return next;
  }

  /**
   * Aborts the open transaction, if any.
   *
   * @return false when an open transaction could not be aborted
   */
  boolean abort() {
    boolean clean = true;
    if (tx.isOpen()) {
      try {
        producer().abortTransaction();
        parts.metrics().aborted();
      } catch (RuntimeException e) {
        LOG.debug("abortTransaction failed", e);
        clean = false;
      }
      nextTurn(); // its abort markers are pending now, as a commit's would be
    }
    tx.close();
    sendError.set(null);
    return clean;
  }

  /** The other producer writes the next transaction: this one's markers may still be pending. */
  private void nextTurn() {
    turn = (turn + 1) % clients.producers.size();
  }

  private Producer<byte[], byte[]> producer() {
    return clients.producers.get(turn);
  }

  private long now() {
    return parts.config().nanoTime().getAsLong();
  }
}
