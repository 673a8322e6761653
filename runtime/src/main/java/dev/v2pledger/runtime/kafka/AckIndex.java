package dev.v2pledger.runtime.kafka;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.AckCodec;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.codec.SchemaSource;
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
 * lower again, so the answer is the first ack whose running maximum passes the offset. When the
 * acks partition no longer starts at offset 0 (retention deleted acks) and a sled's first retained
 * ack already covers the offset, the ack that really covered it may be gone: that time is unknown
 * ({@link #lost}), not the retained ack's. An ack that does not decode (its schema is not
 * registered, its bytes are corrupt) covers nothing; such acks are counted ({@link #undecodable}),
 * with why the first does not. An ack whose schema could not be looked up because {@code
 * v2p.schemas} did not answer in time, or refused this reader, stops the read instead: its sled did
 * apply what it acknowledges, so counting it would report records as not applied.
 */
public final class AckIndex {
  private final Map<SledId, Map<Integer, Watermarks>> bySled =
      new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
  private long undecodable;
  private @Nullable String firstUndecodable;

  /** One sled's watermarks of one partition, as running maxima in time order. */
  private static final class Watermarks {
    private final List<Long> maxThrough = new ArrayList<>();
    private final List<Instant> times = new ArrayList<>();
    private int acksPartition = -1;
    private boolean truncated;

    void add(long through, Instant time) {
      long max =
          maxThrough.isEmpty() ? through : Math.max(through, maxThrough.get(maxThrough.size() - 1));
      maxThrough.add(max);
      times.add(time);
    }

    /** Whether the first retained ack covers {@code offset} while earlier acks were deleted. */
    boolean lost(long offset) {
      return truncated && !maxThrough.isEmpty() && maxThrough.get(0) > offset;
    }

    @Nullable Instant firstCovering(long offset) {
      if (lost(offset)) {
        return null;
      }
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

  /** Reads {@code v2p.acks}, looking up writer schemas this build lacks in {@code v2p.schemas}. */
  public static AckIndex read(KafkaAccess kafka) {
    try (LogSchemas schemas = LogSchemas.open(kafka.clientConfig())) {
      return read(kafka, schemas);
    }
  }

  /** Reads {@code v2p.acks}, looking up writer schemas this build lacks in {@code schemas}. */
  static AckIndex read(KafkaAccess kafka, SchemaSource schemas) {
    AckIndex index = new AckIndex();
    AckCodec codec = new AckCodec(schemas);
    kafka.readToEnd(
        Topics.ACKS,
        record -> {
          try {
            index.add(
                codec.decode(
                    record.value(),
                    RecordOrigin.of(record.topic(), record.partition(), record.offset())),
                record.partition());
          } catch (RecordDecodeException e) {
            if (e.isTransient()) { // the registry did not answer: nothing is known of the ack
              throw RegistryRefusal.unanswered(e);
            }
            if (e.isRegistryRefusal()) { // a reader with the access this one lacks decodes it
              throw RegistryRefusal.stop(
                  "its sled applied the records it acknowledges", e.getMessage());
            }
            index.undecodable(e); // covers nothing here: its sled's times are missing
          }
          return true;
        });
    index.acksStartAt(kafka.startOffsets(Topics.ACKS));
    return index;
  }

  /**
   * Acks that do not decode (a newer applier's schema not registered, corrupt bytes): each covers
   * nothing here, so a sled that wrote them may look as if it had not applied a record.
   */
  public long undecodable() {
    return undecodable;
  }

  /** Why the first ack that does not decode does not, with where it is; null when none. */
  public @Nullable String firstUndecodable() {
    return firstUndecodable;
  }

  private void undecodable(RecordDecodeException e) {
    if (undecodable++ == 0) {
      firstUndecodable = e.getMessage();
    }
  }

  /** Adds an ack read from partition {@code acksPartition} of {@code v2p.acks}, in its order. */
  void add(ApplierAck ack, int acksPartition) {
    Watermarks marks =
        bySled
            .computeIfAbsent(ack.sledId(), s -> new HashMap<>())
            .computeIfAbsent(ack.partition(), p -> new Watermarks());
    if (marks.acksPartition < 0) {
      marks.acksPartition = acksPartition;
    }
    marks.add(ack.appliedThroughOffset(), ack.time());
  }

  /**
   * The log start offsets of {@code v2p.acks}: above 0, acks before the first retained are gone.
   */
  void acksStartAt(Map<Integer, Long> starts) {
    for (Map<Integer, Watermarks> partitions : bySled.values()) {
      for (Watermarks marks : partitions.values()) {
        marks.truncated = starts.getOrDefault(marks.acksPartition, 0L) > 0;
      }
    }
  }

  public Set<SledId> sleds() {
    return bySled.keySet();
  }

  /**
   * Whether the time {@code sled} covered the record is unknown: its first retained ack covers it,
   * and acks before it were deleted by retention (the real covering ack may be among them).
   */
  public boolean lost(SledId sled, int partition, long offset) {
    Watermarks marks = bySled.getOrDefault(sled, Map.of()).get(partition);
    return marks != null && marks.lost(offset);
  }

  /**
   * When {@code sled} first covered the record at {@code partition}/{@code offset}, or null (not
   * yet, or {@link #lost}).
   */
  public @Nullable Instant covered(SledId sled, int partition, long offset) {
    Watermarks marks = bySled.getOrDefault(sled, Map.of()).get(partition);
    return marks == null ? null : marks.firstCovering(offset);
  }
}
