package dev.v2pledger.runtime.kafka;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.registry.LogSchemas;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What {@code v2p.mappings} holds: the live table (by the same rule the appliers use), when each
 * record of interest arrived, and every record's position and cause time (for latencies).
 */
public final class ProjectedTopic {
  /** Where and when a record was written to {@code v2p.mappings}, and when its event was logged. */
  public record Arrival(int partition, long offset, Instant written, Instant eventTime) {}

  /** A record's identity: its key and version. */
  public record RecordId(MappingKey key, long locationGen) {}

  private final MappingTable live = new MappingTable();
  private final Map<RecordId, Arrival> arrivals = new HashMap<>();
  private final List<Arrival> all = new ArrayList<>();
  private long undecodable;

  private ProjectedTopic() {}

  /**
   * Reads the whole topic. {@code interest} selects keys whose arrivals are indexed; {@code
   * keepAll} keeps every record's position for latency statistics.
   */
  public static ProjectedTopic read(
      KafkaAccess kafka, Predicate<MappingKey> interest, boolean keepAll) {
    ProjectedTopic topic = new ProjectedTopic();
    try (LogSchemas schemas = LogSchemas.open(kafka.clientConfig())) {
      readInto(topic, kafka, new MappingCodec(schemas), interest, keepAll);
    }
    return topic;
  }

  private static void readInto(
      ProjectedTopic topic,
      KafkaAccess kafka,
      MappingCodec codec,
      Predicate<MappingKey> interest,
      boolean keepAll) {
    kafka.readToEnd(
        Topics.MAPPINGS,
        record -> {
          if (record.value() == null) { // a tombstone: the projector removed a retired key
            try {
              topic.live.remove(
                  MappingKey.parse(
                      new String(record.key(), java.nio.charset.StandardCharsets.UTF_8)));
            } catch (RuntimeException e) {
              topic.undecodable++;
            }
            return true;
          }
          ProjectedMapping projected;
          try {
            projected =
                codec.decode(
                    record.value(),
                    RecordOrigin.of(record.topic(), record.partition(), record.offset()));
          } catch (RecordDecodeException e) {
            topic.undecodable++;
            return true;
          }
          topic.live.offer(projected.mapping());
          Arrival arrival =
              new Arrival(
                  record.partition(),
                  record.offset(),
                  Instant.ofEpochMilli(record.timestamp()),
                  projected.cause().timestamp());
          if (interest.test(projected.key())) {
            topic.arrivals.put(
                new RecordId(projected.key(), projected.mapping().locationGen()), arrival);
          }
          if (keepAll) {
            topic.all.add(arrival);
          }
          return true;
        });
  }

  public MappingTable live() {
    return live;
  }

  public Arrival arrival(MappingKey key, long locationGen) {
    return arrivals.get(new RecordId(key, locationGen));
  }

  public List<Arrival> all() {
    return all;
  }

  public long undecodable() {
    return undecodable;
  }
}
