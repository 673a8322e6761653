package dev.v2pledger.applier.runner;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The end offsets of {@code v2p.mappings} taken at start (its last stable offsets): the applier has
 * read its snapshot once every partition's position reaches them.
 */
final class Snapshot {
  private final Map<TopicPartition, Long> begin;
  private final Map<TopicPartition, Long> end;
  private final long total;
  private final long startNanos = System.nanoTime();

  private Snapshot(Map<TopicPartition, Long> begin, Map<TopicPartition, Long> end) {
    this.begin = Map.copyOf(begin);
    this.end = Map.copyOf(end);
    long sum = 0;
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      sum += e.getValue() - begin.getOrDefault(e.getKey(), 0L);
    }
    this.total = sum;
  }

  static Snapshot take(MappingsReader reader) {
    return new Snapshot(reader.beginningOffsets(), reader.endOffsets());
  }

  long total() {
    return total;
  }

  /** Records of the snapshot read so far (offset span). */
  long read(MappingsReader reader) {
    long sum = 0;
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      long from = begin.getOrDefault(e.getKey(), 0L);
      long at = Math.min(reader.position(e.getKey()), e.getValue());
      sum += Math.max(0, at - from);
    }
    return sum;
  }

  boolean reached(MappingsReader reader) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (reader.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** "420000 of 1000000 records (42%), 210000 records/s". */
  String progress(long read) {
    long percent = total == 0 ? 100 : read * 100 / total;
    double seconds = Math.max(1e-3, elapsed().toNanos() / 1e9);
    return read
        + " of "
        + total
        + " records ("
        + percent
        + "%), "
        + Math.round(read / seconds)
        + " records/s";
  }
}
