package dev.v2pledger.devstack.stack;

import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.schema.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the system keeps at the end of a run (DESIGN "Bounded growth"): the two compacted topics as
 * logged and as compaction will leave them, and what the runners of this JVM hold in memory.
 *
 * @param mappings {@code v2p.mappings}
 * @param states {@code v2p.instance-state}
 * @param projectorStates instance states the local projectors hold (null: none run here)
 * @param applierEntries the largest desired table of the local appliers (null: none run here)
 */
public record Footprint(
    Topic mappings, Topic states, @Nullable Long projectorStates, @Nullable Long applierEntries) {

  /**
   * One compacted topic.
   *
   * @param records records in the log (tombstones included)
   * @param bytes their keys and values
   * @param liveKeys keys whose last record in a partition has a value: what compaction keeps for
   *     good (compaction is per partition: a key in two partitions counts twice)
   * @param liveBytes those last records' keys and values
   * @param tombstones keys whose last record in a partition is a tombstone (a retired mapping key
   *     has one in every partition): compaction keeps it for the topic's {@code
   *     delete.retention.ms}, then nothing
   */
  public record Topic(long records, long bytes, long liveKeys, long liveBytes, long tombstones) {}

  public static Footprint read(
      Map<String, Object> kafka, MeterRegistry registry, Duration timeout) {
    KafkaAccess access = new KafkaAccess(kafka, timeout);
    return new Footprint(
        topic(access, Topics.MAPPINGS),
        topic(access, Topics.INSTANCE_STATE),
        total(registry.find("v2p.projector.instances").gauges(), false),
        total(registry.find("v2p.applier.desired.vips").gauges(), true));
  }

  /** A key in one partition: what compaction keeps the last record of. */
  private record PartitionKey(int partition, ByteBuffer key) {}

  private static Topic topic(KafkaAccess access, String name) {
    // (partition, key) -> size of its last record there, -1 for a tombstone
    Map<PartitionKey, Integer> last = new HashMap<>();
    long[] totals = new long[2];
    access.readToEnd(
        name,
        record -> {
          int size = Math.max(0, record.serializedKeySize());
          int value = record.serializedValueSize();
          totals[0]++;
          totals[1] += size + Math.max(0, value);
          if (record.key() != null) {
            last.put(
                new PartitionKey(record.partition(), ByteBuffer.wrap(record.key())),
                record.value() == null ? -1 : size + value);
          }
          return true;
        });
    long live = 0;
    long liveBytes = 0;
    for (int size : last.values()) {
      if (size >= 0) {
        live++;
        liveBytes += size;
      }
    }
    return new Topic(totals[0], totals[1], live, liveBytes, last.size() - live);
  }

  private static @Nullable Long total(Collection<Gauge> gauges, boolean largest) {
    if (gauges.isEmpty()) {
      return null;
    }
    double out = 0;
    for (Gauge gauge : gauges) {
      out = largest ? Math.max(out, gauge.value()) : out + gauge.value();
    }
    return Math.round(out);
  }
}
