package dev.v2pledger.replay.kafka;

import dev.v2pledger.runtime.kafka.AckIndex;
import dev.v2pledger.runtime.kafka.ProjectedTopic;
import dev.v2pledger.schema.domain.SledId;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * How one projected record travelled: when it reached {@code v2p.mappings} and when each sled's
 * watermark first covered it. Latencies are measured from the event's log time.
 *
 * @param applied per sled (in the order given, sorted by sled id by {@link #of}), when its
 *     watermark covered the record (absent: not yet)
 */
public record RecordTrace(ProjectedTopic.Arrival arrival, Map<SledId, Instant> applied) {
  public RecordTrace {
    applied = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(applied));
  }

  /** Traces the record at {@code arrival} through every sled known to {@code acks}. */
  public static RecordTrace of(ProjectedTopic.Arrival arrival, AckIndex acks) {
    Map<SledId, Instant> applied = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
    for (SledId sled : acks.sleds()) {
      Instant at = acks.covered(sled, arrival.partition(), arrival.offset());
      if (at != null) {
        applied.put(sled, at);
      }
    }
    return new RecordTrace(arrival, applied);
  }

  public Duration projectionLatency() {
    return Duration.between(arrival.eventTime(), arrival.written());
  }

  public @Nullable Duration latency(SledId sled) {
    Instant at = applied.get(sled);
    return at == null ? null : Duration.between(arrival.eventTime(), at);
  }
}
