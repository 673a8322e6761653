package dev.v2pledger.projector.runner;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.jspecify.annotations.Nullable;

/**
 * Bookkeeping of the open Kafka transaction: when it began, how many events it holds, when each
 * event's records were sent, and the first offset it consumed and the next offset to commit per
 * partition of the events topic.
 */
final class OpenTransaction {
  private boolean open;
  private long beganNanos;
  private int events;
  private long[] sentNanos = new long[64];
  private final Map<Integer, Long> nextOffsets = new HashMap<>();
  private final Map<Integer, Long> firstOffsets = new HashMap<>();

  boolean isOpen() {
    return open;
  }

  void begin(long nowNanos) {
    open = true;
    beganNanos = nowNanos;
    events = 0;
    nextOffsets.clear();
    firstOffsets.clear();
  }

  /** Counts one consumed event, whatever became of it, its records sent at {@code sentAt}. */
  void consumed(int partition, long offset, long sentAt) {
    if (events == sentNanos.length) {
      sentNanos = Arrays.copyOf(sentNanos, events * 2);
    }
    sentNanos[events++] = sentAt;
    nextOffsets.merge(partition, offset + 1, Math::max);
    firstOffsets.merge(partition, offset, Math::min);
  }

  /**
   * Its states' {@link FoldedFrom} header in {@code partition}: the offset of the first event there
   * this transaction consumed, or, when it consumed none there (states it only retires), the
   * position it commits, from which there is nothing of its own to fold again; null for neither.
   */
  @Nullable Long foldedFrom(int partition) {
    Long first = firstOffsets.get(partition);
    return first != null ? first : nextOffsets.get(partition);
  }

  /**
   * Commits {@code partition}'s offset at least at {@code next} (its committed position) without an
   * event: a transaction that consumed nothing still sends offsets, and so is fenced by the group.
   */
  void keepPosition(int partition, long next) {
    nextOffsets.merge(partition, next, Math::max);
  }

  /** When the records of event {@code i} (in consumption order) were sent. */
  long sentAt(int i) {
    return sentNanos[i];
  }

  int events() {
    return events;
  }

  long ageNanos(long nowNanos) {
    return open ? nowNanos - beganNanos : 0;
  }

  /** The offsets to send with the transaction. */
  Map<TopicPartition, OffsetAndMetadata> offsets(String topic) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    nextOffsets.forEach(
        (partition, next) ->
            offsets.put(new TopicPartition(topic, partition), new OffsetAndMetadata(next)));
    return offsets;
  }

  Map<Integer, Long> nextOffsets() {
    return Map.copyOf(nextOffsets);
  }

  void close() {
    open = false;
    events = 0;
    nextOffsets.clear();
    firstOffsets.clear();
  }
}
