package dev.v2pledger.projector.runner;

import dev.v2pledger.runtime.time.Durations;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code v2p.folded-from} header of a state record: the offset of the first event of its
 * partition that its transaction folded. Aborting a hanging transaction on the changelog may undo
 * one its coordinator committed (KAFKA-20734); before it does, the runner commits the group's
 * offset of that partition back to this (durable, whoever restores next), and then resumes there,
 * so the events whose states the abort discarded are folded again (DESIGN "Keys, versions and the
 * projected topic").
 *
 * @param readers make a {@code read_uncommitted} consumer of the changelog
 * @param group the runner's group consumer, which owns the partitions being restored
 * @param eventsTopic whose offsets {@code group} commits
 */
record FoldedFrom(
    Supplier<Consumer<byte[], byte[]>> readers,
    Consumer<?, ?> group,
    String eventsTopic,
    Duration timeout,
    LongSupplier nanoTime) {
  private static final Logger LOG = LoggerFactory.getLogger(FoldedFrom.class);
  static final String HEADER = "v2p.folded-from";

  /** The runner's: {@code group} is its group consumer, readers made by {@code clients}. */
  static FoldedFrom of(ProjectorConfig config, ClientFactory clients, Consumer<?, ?> group) {
    return new FoldedFrom(
        () -> clients.consumer(KafkaClients.uncommittedConfig(config)),
        group,
        config.topics().events(),
        config.kafkaTimeout(),
        config.nanoTime());
  }

  static byte[] value(long offset) {
    return Long.toString(offset).getBytes(StandardCharsets.UTF_8);
  }

  /** The offset a header gives; null for none or one that is not a non-negative number. */
  static @Nullable Long parse(@Nullable Header header) {
    if (header == null || header.value() == null) {
      return null;
    }
    try {
      long offset = Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
      return offset < 0 ? null : offset;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Before {@code hanging} is aborted: reads where its transaction began folding (the header of its
   * first record, read {@code read_uncommitted}) and, if that is below the group's committed offset
   * of the partition, commits it, so that whoever restores the partition next folds those events
   * again, even if this runner stops before it does. Returns that offset, empty for a record
   * without the header (an older build's: nothing to go back to, said in an ERROR); throws, and so
   * prevents the abort, when the record cannot be read or the offset not committed in time.
   */
  OptionalLong beforeAbort(HangingTransactions.Hanging hanging) {
    TopicPartition events = new TopicPartition(eventsTopic, hanging.partition().partition());
    OptionalLong from = read(hanging.partition(), hanging.startOffset());
    if (from.isEmpty()) {
      LOG.error(
          "the hanging transaction on {} names no events to fold again (written by a build before"
              + " the {} header): if its coordinator had committed it (KAFKA-20734), states are"
              + " lost; compare with replay-tool verify (projector README, \"Known issues\")",
          hanging,
          HEADER);
      return from;
    }
    OffsetAndMetadata committed = group.committed(Set.of(events), timeout).get(events);
    // without a committed offset the partition is folded from its beginning anyway
    if (committed != null && from.getAsLong() < committed.offset()) {
      group.commitSync(Map.of(events, new OffsetAndMetadata(from.getAsLong())), timeout);
    }
    return from;
  }

  private OptionalLong read(TopicPartition partition, long offset) {
    try (Consumer<byte[], byte[]> reader = readers.get()) {
      reader.assign(List.of(partition));
      reader.seek(partition, offset);
      long deadline = nanoTime.getAsLong() + timeout.toNanos();
      while (nanoTime.getAsLong() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(100))) {
          if (record.offset() >= offset) {
            Long from = parse(record.headers().lastHeader(HEADER));
            return from == null ? OptionalLong.empty() : OptionalLong.of(from);
          }
        }
      }
    }
    throw new TimeoutException(
        "reading the first record of the hanging transaction on "
            + partition
            + " at offset "
            + offset
            + ": nothing in "
            + Durations.readable(timeout)
            + "; not aborted");
  }

  /**
   * Moves the group consumer back to the offsets of {@code foldAgain} below its {@code positions}
   * (and updates them): the events from there are folded again.
   */
  static void seek(
      Consumer<?, ?> consumer,
      String topic,
      Map<Integer, Long> foldAgain,
      Map<Integer, Long> positions) {
    foldAgain.forEach(
        (partition, from) -> {
          Long position = positions.get(partition);
          if (position != null && from < position) {
            consumer.seek(new TopicPartition(topic, partition), from);
            positions.put(partition, from);
            LOG.warn(
                "{}-{}: folding offsets {} to {} again: a hanging transaction of the changelog that"
                    + " folded them was aborted, and its coordinator may have committed it"
                    + " (KAFKA-20734); the events are redeliveries to states written after it",
                topic,
                partition,
                from,
                position - 1);
          }
        });
  }
}
