package dev.v2pledger.projector.runner;

import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Points of the transaction cycle where a test can stall or crash a projector: the places where a
 * real process may die or pause, told by {@link Crashable}'s clients from the calls the runner
 * makes on its producers. Called on the projector's thread; a probe that blocks stalls the
 * projector (its group membership and transaction time out as they would in a long GC pause), one
 * that calls {@link Crashable#kill()} crashes it right there, one that throws fails that call.
 */
@FunctionalInterface
public interface Probe {

  /** Where the projector is. */
  enum Point {
    /** A record of a folded event (or a tombstone) was sent in the open transaction. */
    EVENT_PROCESSED,
    /** A commit begins: records sent, changed states not written yet. */
    BEFORE_COMMIT,
    /** Changed states were sent to the changelog; offsets not sent yet. */
    STATE_WRITTEN,
    /** Offsets were sent to the transaction; it is not committed yet. */
    OFFSETS_SENT,
    /** The transaction committed. */
    COMMITTED
  }

  Probe NONE = point -> {};

  void at(Point point);

  /**
   * A transaction call ({@code initTransactions}, made once per producer by each new session's
   * clients, {@code beginTransaction}, {@code sendOffsetsToTransaction}, {@code commitTransaction},
   * {@code abortTransaction}) about to be made on the producer of {@code transactionalId}.
   */
  default void transactionCall(String transactionalId, String method) {}

  /**
   * The group consumer is about to poll; one that blocks here makes the runner late for its time
   * box (a GC pause, a busy machine) while the consumer goes on fetching.
   */
  default void polling() {}

  /**
   * The offsets a transaction is about to send with {@code sendOffsetsToTransaction} (after {@link
   * Point#STATE_WRITTEN}): one that throws here fails that call.
   */
  default void sendingOffsets(Map<TopicPartition, OffsetAndMetadata> offsets) {}

  /** The group consumer's poll returned {@code records} records. */
  default void polled(int records) {}

  /**
   * What the group consumer's {@code groupMetadata()} returns to the runner, given what Kafka's
   * consumer reported: the runner passes it to {@code sendOffsetsToTransaction}.
   */
  default ConsumerGroupMetadata groupMetadata(ConsumerGroupMetadata reported) {
    return reported;
  }

  /** A probe that only hears the transaction calls: {@code listener} gets (id, method). */
  static Probe ofTransactionCalls(BiConsumer<String, String> listener) {
    return new Probe() {
      @Override
      public void at(Point point) {}

      @Override
      public void transactionCall(String transactionalId, String method) {
        listener.accept(transactionalId, method);
      }
    };
  }
}
