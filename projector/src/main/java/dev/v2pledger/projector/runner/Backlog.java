package dev.v2pledger.projector.runner;

import dev.v2pledger.projector.metrics.ProjectorMetrics;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * Whether the consumer has a backlog, as each poll finds it (DESIGN "The box closes after a poll's
 * batch"): at least {@code max.poll.records} events known and not polled of the partitions polls
 * brought in the last second (a poll often returns less than a full batch while thousands wait; a
 * partition no longer fetched, its leader gone, keeps its last lag), or a full poll, unless every
 * ready partition is known to be read to its end (that poll took the last events: waiting for more
 * would only delay their commit). Asks the broker nothing: the lags are the consumer's, from its
 * fetches. Owned by the runner's thread.
 */
final class Backlog {
  private static final long RECENT_NANOS = 1_000_000_000L;

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final Set<Integer> ready;
  private final ProjectorMetrics metrics;
  private final int maxPollRecords;
  private final Map<Integer, Long> broughtAt = new HashMap<>(); // when a poll last brought each
  private boolean found; // as the last poll found it

  /**
   * @param ready the partitions ready here, the session's own set (read, never changed)
   */
  Backlog(RunnerParts parts, Consumer<byte[], byte[]> consumer, Set<Integer> ready) {
    this.consumer = consumer;
    this.topic = parts.config().topics().events();
    this.ready = ready;
    this.metrics = parts.metrics();
    this.maxPollRecords = parts.config().maxPollRecords();
  }

  /** Whether the last poll found a backlog. */
  boolean found() {
    return found;
  }

  /** After a poll that returned {@code records} at {@code polledAt}: whether there is a backlog. */
  boolean afterPoll(ConsumerRecords<byte[], byte[]> records, long polledAt) {
    records.partitions().forEach(tp -> broughtAt.put(tp.partition(), polledAt));
    found =
        recentLag(polledAt) >= maxPollRecords
            || (records.count() >= maxPollRecords && !readToEnd());
    return found;
  }

  /**
   * Whether every ready partition's lag is known and not above zero (read_committed: up to the last
   * stable offset).
   */
  boolean readToEnd() {
    for (int partition : ready) {
      if (consumer.currentLag(new TopicPartition(topic, partition)).orElse(1) != 0) {
        return false;
      }
    }
    return true;
  }

  /** Reports each ready partition's lag as the consumer knows it; the sum of the recent ones. */
  private long recentLag(long now) {
    long sum = 0;
    for (int partition : ready) {
      OptionalLong lag = consumer.currentLag(new TopicPartition(topic, partition));
      if (lag.isPresent()) {
        metrics.lag(partition, lag.getAsLong());
        long brought = broughtAt.getOrDefault(partition, now - RECENT_NANOS);
        sum += now - brought < RECENT_NANOS ? lag.getAsLong() : 0;
      }
    }
    return sum;
  }
}
