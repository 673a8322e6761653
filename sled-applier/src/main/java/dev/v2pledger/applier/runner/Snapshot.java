package dev.v2pledger.applier.runner;

import java.time.Duration;
import java.util.HashMap;
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
  private final long startNanos;

  private Snapshot(
      Map<TopicPartition, Long> begin, Map<TopicPartition, Long> end, long startNanos) {
    this.begin = Map.copyOf(begin);
    this.end = Map.copyOf(end);
    this.startNanos = startNanos;
    long sum = 0;
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      sum += e.getValue() - begin.getOrDefault(e.getKey(), 0L);
    }
    this.total = sum;
  }

  static Snapshot take(MappingsReader reader) {
    return new Snapshot(reader.beginningOffsets(), reader.endOffsets(), System.nanoTime());
  }

  /**
   * This snapshot, each partition ending at the lower of its end and its end {@code now}: a log cut
   * under the snapshot's end (an unclean leader election, the topic made again) no longer has the
   * records past its end now, and the snapshot, never reached, would never complete. An end never
   * goes down otherwise (a new leader answers no end before its high watermark reaches what it had
   * when elected); nor does read_committed's last stable offset, which is never above the high
   * watermark and which a new leader rebuilds from the same replicated transaction markers. Itself
   * when no end is lower.
   */
  Snapshot endingBy(Map<TopicPartition, Long> now) {
    Map<TopicPartition, Long> ends = new HashMap<>(end);
    now.forEach((partition, at) -> ends.computeIfPresent(partition, (p, was) -> Math.min(was, at)));
    return ends.equals(end) ? this : new Snapshot(begin, ends, startNanos);
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

  /** "420000 of 1000000 offsets (42%), 210000 offsets/s". */
  String progress(long read) {
    long percent = total == 0 ? 100 : read * 100 / total;
    double seconds = Math.max(1e-3, elapsed().toNanos() / 1e9);
    return read
        + " of "
        + total
        + " offsets ("
        + percent
        + "%), "
        + Math.round(read / seconds)
        + " offsets/s";
  }
}
