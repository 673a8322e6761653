package dev.v2pledger.projector.topics;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How {@code init-topics} creates missing topics.
 *
 * @param partitions partitions of a new topic; a new {@code v2p.events} or {@code
 *     v2p.instance-state} takes the count of its partner when the partner exists
 * @param replicationFactor replicas per partition, or null for the broker's default
 * @param minInsyncReplicas {@code min.insync.replicas} of every topic, or null for the broker's
 * @param acksRetention how long {@code v2p.acks} keeps watermarks (latency reports read them)
 */
public record TopicPlan(
    int partitions,
    @Nullable Short replicationFactor,
    @Nullable Integer minInsyncReplicas,
    Duration acksRetention) {

  /** The default retention of {@code v2p.acks}: a week. */
  public static final Duration DEFAULT_ACKS_RETENTION = Duration.ofDays(7);

  public TopicPlan {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    if (replicationFactor != null && replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replication factor must be at least 1, got " + replicationFactor);
    }
    if (minInsyncReplicas != null && minInsyncReplicas < 1) {
      throw new IllegalArgumentException(
          "min.insync.replicas must be at least 1, got " + minInsyncReplicas);
    }
    if (minInsyncReplicas != null
        && replicationFactor != null
        && minInsyncReplicas > replicationFactor) {
      throw new IllegalArgumentException(
          "min.insync.replicas "
              + minInsyncReplicas
              + " is more than the replication factor "
              + replicationFactor
              + ": no write could ever succeed");
    }
    if (acksRetention.isNegative() || acksRetention.isZero()) {
      throw new IllegalArgumentException(
          "the retention of acks must be positive, got " + acksRetention);
    }
    if (acksRetention.compareTo(Duration.ofMillis(1)) < 0) {
      // retention.ms counts whole milliseconds: less would be retention.ms=0, kept for no time
      throw new IllegalArgumentException(
          "the retention of acks must be at least 1 ms, got " + acksRetention);
    }
  }

  /** {@code partitions} partitions, the broker's replication defaults, a week of acks. */
  public static TopicPlan of(int partitions) {
    return new TopicPlan(partitions, null, null, DEFAULT_ACKS_RETENTION);
  }
}
