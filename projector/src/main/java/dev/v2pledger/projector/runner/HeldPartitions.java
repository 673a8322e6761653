package dev.v2pledger.projector.runner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions have had their last stable offset held at the same place, below their end, for
 * longer than a bound: an open transaction that is not moving. Fed with successive observations; no
 * Kafka calls, so it can be tested alone.
 */
final class HeldPartitions {
  private record Held(long stable, long since) {}

  private final long boundNanos;
  private final Map<TopicPartition, Held> held = new HashMap<>();

  HeldPartitions(long boundNanos) {
    this.boundNanos = boundNanos;
  }

  /**
   * One observation at {@code now}: each partition's last stable offset and end offset. Returns the
   * partitions held at the same stable offset, below their end, for at least the bound.
   */
  List<TopicPartition> observe(
      Map<TopicPartition, Long> stable, Map<TopicPartition, Long> end, long now) {
    List<TopicPartition> stuck = new ArrayList<>();
    held.keySet().removeIf(tp -> !stable.containsKey(tp));
    stable.forEach(
        (tp, lso) -> {
          Long last = end.get(tp);
          if (last == null || lso >= last) {
            held.remove(tp);
            return;
          }
          Held before = held.get(tp);
          if (before == null || before.stable() != lso) {
            held.put(tp, new Held(lso, now));
          } else if (now - before.since() >= boundNanos) {
            stuck.add(tp);
          }
        });
    return stuck;
  }

  /** Forgets {@code tp} (its transaction was just closed), so it is timed afresh if held again. */
  void forget(TopicPartition tp) {
    held.remove(tp);
  }
}
