package dev.v2pledger.projector.runner;

import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.state.InstanceStateCodec;
import dev.v2pledger.runtime.time.Durations;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.codec.SchemaSource;
import dev.v2pledger.schema.domain.InstanceId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the fold states of newly assigned partitions from the compacted changelog: reads each
 * changelog partition from its beginning to its {@code read_committed} end, keeping the last value
 * per instance.
 *
 * <p>It first waits until no transaction is open on those partitions (last stable offset = end
 * offset). We own them now, so an open transaction there is a former owner's: one whose commit has
 * not finished writing its markers, or a stalled zombie that will be fenced or timed out. Reading
 * to a last stable offset held back by it would miss states that later transactions committed,
 * while the committed offsets already count their events.
 */
final class StateRestorer {
  private static final Logger LOG = LoggerFactory.getLogger(StateRestorer.class);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final long SETTLE_PAUSE_MS = 20;
  private static final Duration HANGING_RECHECK = Duration.ofSeconds(5);

  /** What the last check for hanging transactions found: aborted if the next finds them too. */
  private Set<String> hangingSeen = Set.of();

  /**
   * The states of each restored partition, how many changelog records were read, when each state
   * was written (its record's timestamp, epoch milliseconds), when each state's retired keys were
   * retired, where its record's {@link Retirements#HEADER} says so, and, per partition, the offset
   * to fold again from where a hanging transaction was aborted ({@link FoldedFrom}).
   */
  record Restored(
      Map<Integer, Map<InstanceId, InstanceState>> states,
      long records,
      Map<InstanceId, Long> writtenAt,
      Map<InstanceId, long[]> retiredAt,
      Map<Integer, Long> foldAgain) {

    /**
     * Warns of each partition of {@code uncommitted} (no committed offset) whose changelog holds
     * states: the group's offsets are gone, and its events are folded again onto them.
     */
    void warnIfOffsetsLost(String instanceId, String topic, Set<Integer> uncommitted) {
      for (int partition : uncommitted) {
        Map<?, ?> held = states.get(partition);
        if (held != null && !held.isEmpty()) {
          LOG.warn(
              "{}: {}-{} has no committed offset but its changelog holds {} state(s): the group's"
                  + " offsets expired (offsets.retention.minutes) or were deleted; folding it"
                  + " again from its beginning onto them (DESIGN \"Partitions and topology\")",
              instanceId,
              topic,
              partition,
              held.size());
        }
      }
    }
  }

  /**
   * Seeks the group consumer to the group's committed offsets of {@code partitions} (to the
   * beginning of a partition that has none, which {@code uncommitted} gets) and returns the
   * positions, per partition.
   */
  static Map<Integer, Long> seekToCommitted(
      Consumer<?, ?> consumer,
      Set<TopicPartition> partitions,
      Duration timeout,
      Set<Integer> uncommitted) {
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions, timeout);
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata offset = committed.get(tp);
      if (offset != null) {
        consumer.seek(tp, offset);
      } else {
        consumer.seekToBeginning(List.of(tp));
        uncommitted.add(tp.partition());
      }
    }
    Map<Integer, Long> positions = new HashMap<>();
    for (TopicPartition tp : partitions) {
      positions.put(tp.partition(), consumer.position(tp, timeout));
    }
    return positions;
  }

  private final String topic;
  private final InstanceStateCodec codec;
  private final Duration timeout;
  private final LongSupplier nanoTime;
  private final Runnable checkpoint;
  private final Interner interner;
  private final Duration hangingAfter;
  private final String bootstrapServers;
  private final IntConsumer onAborted;
  private final FoldedFrom foldedFrom;

  /**
   * @param topic the changelog topic
   * @param timeout bound of the wait for open transactions, and of any stretch of the reading that
   *     reads nothing
   * @param checkpoint called between steps; throws to abandon the restore (a close)
   * @param interner makes decoded states share what they can
   * @param schemas writer schemas this build does not know (a newer projector's states)
   * @param hangingAfter how long an open transaction may hold a partition back before it is checked
   *     for a hanging one (no coordinator has it in progress), which is then aborted
   * @param bootstrapServers for the command in messages about a hanging transaction
   * @param onAborted told how many hanging transactions were aborted
   * @param foldedFrom before an abort, where to fold its events again from
   */
  StateRestorer(
      String topic,
      Duration timeout,
      LongSupplier nanoTime,
      Runnable checkpoint,
      Interner interner,
      SchemaSource schemas,
      Duration hangingAfter,
      String bootstrapServers,
      IntConsumer onAborted,
      FoldedFrom foldedFrom) {
    this.codec = new InstanceStateCodec(schemas);
    this.topic = topic;
    this.timeout = timeout;
    this.nanoTime = nanoTime;
    this.checkpoint = checkpoint;
    this.interner = interner;
    this.hangingAfter = hangingAfter;
    this.bootstrapServers = bootstrapServers;
    this.onAborted = onAborted;
    this.foldedFrom = foldedFrom;
  }

  Restored restore(Consumer<byte[], byte[]> consumer, Admin admin, Collection<Integer> partitions) {
    long deadline = nanoTime.getAsLong() + timeout.toNanos();
    List<TopicPartition> tps = new ArrayList<>();
    partitions.forEach(p -> tps.add(new TopicPartition(topic, p)));
    Map<Integer, Long> foldAgain = new HashMap<>(); // where an abort leaves events to fold again
    Map<TopicPartition, Long> ends = awaitSettled(admin, tps, deadline, foldAgain);
    Map<Integer, Map<InstanceId, InstanceState>> states = new HashMap<>();
    partitions.forEach(p -> states.put(p, new HashMap<>()));
    long records = 0;
    Map<InstanceId, Long> writtenAt = new HashMap<>();
    Map<InstanceId, long[]> retiredAt = new HashMap<>();
    consumer.assign(tps);
    try {
      consumer.seekToBeginning(tps);
      List<TopicPartition> remaining = new ArrayList<>(tps);
      remaining.removeIf(tp -> consumer.position(tp, timeout) >= ends.get(tp));
      // reading is bounded by progress, not in all: a large changelog may take longer than the
      // timeout to read, and each retry would start again from the beginning
      long progressed = nanoTime.getAsLong();
      while (!remaining.isEmpty()) {
        checkpoint.run();
        if (nanoTime.getAsLong() - progressed > timeout.toNanos()) {
          throw new TimeoutException(
              "restoring " + remaining + ": nothing read for " + Durations.readable(timeout));
        }
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(POLL);
        if (!polled.isEmpty()) {
          progressed = nanoTime.getAsLong();
        }
        for (ConsumerRecord<byte[], byte[]> record : polled) {
          if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
            apply(record, states.get(record.partition()), writtenAt, retiredAt);
            records++;
          }
        }
        remaining.removeIf(tp -> consumer.position(tp, timeout) >= ends.get(tp));
      }
    } finally {
      consumer.assign(List.of());
    }
    return new Restored(states, records, writtenAt, retiredAt, Map.copyOf(foldAgain));
  }

  private static long @Nullable [] retiredTimes(
      ConsumerRecord<byte[], byte[]> record, InstanceState state) {
    return Retirements.parseHeader(
        Retirements.headerText(record.headers()), state.retired().size());
  }

  private void apply(
      ConsumerRecord<byte[], byte[]> record,
      Map<InstanceId, InstanceState> states,
      Map<InstanceId, Long> writtenAt,
      Map<InstanceId, long[]> retiredAt) {
    RecordOrigin origin = RecordOrigin.of(record.topic(), record.partition(), record.offset());
    InstanceId instance;
    try {
      instance =
          InstanceId.parse(
              record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw unreadable(origin, "key: " + e.getMessage(), e);
    }
    writtenAt.put(instance, record.timestamp());
    retiredAt.remove(instance);
    if (record.value() == null) {
      states.remove(instance);
      writtenAt.remove(instance);
      return;
    }
    InstanceState state;
    try {
      state = codec.decode(record.value(), origin);
    } catch (RecordDecodeException e) {
      if (e.isTransient()) {
        throw e; // the registry did not answer: a retriable failure, the restore is tried again
      }
      throw unreadable(origin, e.detail(), e);
    }
    if (!state.instanceId().equals(instance)) {
      throw unreadable(
          origin, "the state of " + state.instanceId() + " under key " + instance, null);
    }
    states.put(instance, interner.intern(state));
    long[] times = retiredTimes(record, state);
    if (times != null) {
      retiredAt.put(instance, times);
    }
  }

  private static ProjectorFatalException unreadable(
      RecordOrigin origin, String detail, @Nullable Throwable cause) {
    String message =
        "the changelog does not decode at "
            + origin
            + " ("
            + detail
            + "); the projector cannot rebuild its state";
    return cause == null
        ? new ProjectorFatalException(message)
        : new ProjectorFatalException(message, cause);
  }

  /**
   * Waits until no transaction is open on {@code tps}; returns their end offsets. Puts in {@code
   * foldAgain}, per partition, where a hanging transaction it aborted began folding ({@link
   * FoldedFrom}).
   */
  private Map<TopicPartition, Long> awaitSettled(
      Admin admin, List<TopicPartition> tps, long deadline, Map<Integer, Long> foldAgain) {
    boolean logged = false;
    long started = nanoTime.getAsLong();
    long nextHangingCheck = started + hangingAfter.toNanos();
    while (true) {
      checkpoint.run();
      Map<TopicPartition, Long> stable = ends(admin, tps, IsolationLevel.READ_COMMITTED, deadline);
      Map<TopicPartition, Long> all = ends(admin, tps, IsolationLevel.READ_UNCOMMITTED, deadline);
      List<String> open = new ArrayList<>();
      for (TopicPartition tp : tps) {
        if (stable.get(tp) < all.get(tp)) {
          open.add(tp + " (stable " + stable.get(tp) + " < end " + all.get(tp) + ")");
        }
      }
      if (open.isEmpty()) {
        return stable;
      }
      if (nanoTime.getAsLong() > deadline) {
        throw new TimeoutException(
            "a transaction stayed open on "
                + open
                + " for more than "
                + Durations.readable(timeout)
                + ": a stalled former owner whose transaction has not timed out?");
      }
      if (nanoTime.getAsLong() >= nextHangingCheck) {
        // the coordinator has timed out or fenced whatever it knew by now: what is still open
        // here may be a transaction no coordinator will ever close
        nextHangingCheck = nanoTime.getAsLong() + HANGING_RECHECK.toNanos();
        abortHanging(admin, tps, stable, all, deadline, foldAgain);
        continue;
      }
      if (!logged && nanoTime.getAsLong() > deadline - timeout.toNanos() / 2) {
        LOG.warn("waiting for an open transaction on {} to finish before restoring", open);
        logged = true;
      }
      pause();
    }
  }

  private void abortHanging(
      Admin admin,
      List<TopicPartition> tps,
      Map<TopicPartition, Long> stable,
      Map<TopicPartition, Long> all,
      long deadline,
      Map<Integer, Long> foldAgain) {
    List<TopicPartition> open = new ArrayList<>();
    tps.forEach(
        tp -> {
          if (stable.get(tp) < all.get(tp)) {
            open.add(tp);
          }
        });
    long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - nanoTime.getAsLong()));
    HangingTransactions.Resolved resolved =
        new HangingTransactions(admin, remainingMs)
            .resolve(
                open,
                bootstrapServers,
                hangingSeen,
                h ->
                    foldedFrom
                        .beforeAbort(h)
                        .ifPresent(
                            from -> foldAgain.merge(h.partition().partition(), from, Math::min)));
    hangingSeen =
        resolved.found().stream().map(HangingTransactions.Hanging::id).collect(Collectors.toSet());
    onAborted.accept(resolved.aborted().size());
  }

  private Map<TopicPartition, Long> ends(
      Admin admin, List<TopicPartition> tps, IsolationLevel isolation, long deadline) {
    long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - nanoTime.getAsLong()));
    return AdminCalls.endOffsets(admin, tps, isolation, remainingMs);
  }

  private static void pause() {
    try {
      Thread.sleep(SETTLE_PAUSE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }
}
