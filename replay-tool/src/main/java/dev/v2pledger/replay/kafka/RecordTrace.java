package dev.v2pledger.replay.kafka;

import dev.v2pledger.runtime.kafka.AckIndex;
import dev.v2pledger.runtime.kafka.ProjectedTopic;
import dev.v2pledger.schema.domain.SledId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * How one projected record travelled: when it reached {@code v2p.mappings} and when each sled's
 * watermark first covered it. Latencies are measured from the event's log time.
 *
 * @param applied per sled (in the order given, sorted by sled id by {@link #of}), when its
 *     watermark covered the record (absent: not yet, or unknown)
 * @param unknown sleds that covered it when acks {@code v2p.acks} no longer holds were written
 */
public record RecordTrace(
    ProjectedTopic.Arrival arrival, Map<SledId, Instant> applied, Set<SledId> unknown) {
  public RecordTrace {
    applied = Collections.unmodifiableMap(new LinkedHashMap<>(applied));
    unknown = Collections.unmodifiableSet(new LinkedHashSet<>(unknown));
  }

  /** Traces the record at {@code arrival} through every sled known to {@code acks}. */
  public static RecordTrace of(ProjectedTopic.Arrival arrival, AckIndex acks) {
    Map<SledId, Instant> applied = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    Set<SledId> unknown = new LinkedHashSet<>();
    for (SledId sled : acks.sleds()) {
      if (acks.lost(sled, arrival.partition(), arrival.offset())) {
        unknown.add(sled); // the ack that covered it was deleted: no time, not a wrong one
        continue;
      }
      Instant at = acks.covered(sled, arrival.partition(), arrival.offset());
      if (at != null) {
        applied.put(sled, at);
      }
    }
    return new RecordTrace(arrival, applied, unknown);
  }

  public Duration projectionLatency() {
    return Duration.between(arrival.eventTime(), arrival.written());
  }

  public @Nullable Duration latency(SledId sled) {
    Instant at = applied.get(sled);
    return at == null ? null : Duration.between(arrival.eventTime(), at);
  }
}
