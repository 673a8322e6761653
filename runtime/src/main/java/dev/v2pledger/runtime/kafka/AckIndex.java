package dev.v2pledger.runtime.kafka;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.AckCodec;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.domain.ApplierAck;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.registry.LogSchemas;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Every sled's watermarks from {@code v2p.acks}, answering "when did sled S first cover record
 * (partition, offset)". Watermarks of one sled arrive in time order; a restarted applier may start
 * lower again, so the answer is the first ack whose running maximum passes the offset.
 */
public final class AckIndex {
  private final Map<SledId, Map<Integer, Watermarks>> bySled =
      new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));

  /** One sled's watermarks of one partition, as running maxima in time order. */
  private static final class Watermarks {
    private final List<Long> maxThrough = new ArrayList<>();
    private final List<Instant> times = new ArrayList<>();

    void add(long through, Instant time) {
      long max =
          maxThrough.isEmpty() ? through : Math.max(through, maxThrough.get(maxThrough.size() - 1));
      maxThrough.add(max);
      times.add(time);
    }

    @Nullable Instant firstCovering(long offset) {
      int low = 0;
      int high = maxThrough.size() - 1;
      int found = -1;
      while (low <= high) {
        int mid = (low + high) >>> 1;
        if (maxThrough.get(mid) > offset) {
          found = mid;
          high = mid - 1;
        } else {
          low = mid + 1;
        }
      }
      return found < 0 ? null : times.get(found);
    }
  }

  public static AckIndex read(KafkaAccess kafka) {
    AckIndex index = new AckIndex();
    try (LogSchemas schemas = LogSchemas.open(kafka.clientConfig())) {
      AckCodec codec = new AckCodec(schemas);
      kafka.readToEnd(
          Topics.ACKS,
          record -> {
            try {
              index.add(
                  codec.decode(
                      record.value(),
                      RecordOrigin.of(record.topic(), record.partition(), record.offset())));
            } catch (RecordDecodeException e) {
              // an ack we cannot read covers nothing; the next one will
            }
            return true;
          });
    }
    return index;
  }

  void add(ApplierAck ack) {
    bySled
        .computeIfAbsent(ack.sledId(), s -> new HashMap<>())
        .computeIfAbsent(ack.partition(), p -> new Watermarks())
        .add(ack.appliedThroughOffset(), ack.time());
  }

  public Set<SledId> sleds() {
    return bySled.keySet();
  }

  /** When {@code sled} first covered the record at {@code partition}/{@code offset}, or null. */
  public @Nullable Instant covered(SledId sled, int partition, long offset) {
    Watermarks marks = bySled.getOrDefault(sled, Map.of()).get(partition);
    return marks == null ? null : marks.firstCovering(offset);
  }
}
