package dev.v2pledger.runtime.kafka;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.codec.TombstoneHeader;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.registry.LogSchemas;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * What {@code v2p.mappings} holds: the live table (by the same rules the appliers use: versions,
 * tombstones up to the generation they name), when each record of interest arrived, and every
 * record's position and cause time (for latencies). A record the appliers would hold (it does not
 * decode, its schema header names another type, or its Kafka key is not its mapping's key as the
 * projector writes it, {@link MappingKey#isUnder}) is counted in {@link #undecodable}, unless a
 * later record or tombstone under its Kafka key in its partition replaces it (DESIGN "Superseded":
 * the appliers stop holding it); a schema that could not be looked up in time, or that the registry
 * refused this reader to look up (the appliers, with their access, may apply the record), stops the
 * read.
 */
public final class ProjectedTopic {
  /**
   * Where and when a record was written to {@code v2p.mappings}, and the event that caused it (its
   * position in {@code v2p.events} and its log time).
   */
  public record Arrival(int partition, long offset, Instant written, EventPosition cause) {
    /** When the causing event was logged. */
    public Instant eventTime() {
      return cause.timestamp();
    }
  }

  /** A record's identity: its key and version. */
  public record RecordId(MappingKey key, long locationGen) {}

  private final MappingTable live = new MappingTable();
  private final Map<RecordId, Arrival> arrivals = new HashMap<>();
  private final List<Arrival> all = new ArrayList<>();
  private final Map<MappingKey, EventPosition> causesOutside = new HashMap<>();
  private final Predicate<EventPosition> outside;

  /** Held records under a Kafka key the projector does not write: never replaced. */
  private long heldUnderNoKey;

  /**
   * Where the last record under a Kafka key (as the projector writes it) is one the appliers hold:
   * a later record or tombstone there ends that hold.
   */
  private final Set<KeyIn> heldUnderKey = new HashSet<>();

  private record KeyIn(int partition, MappingKey key) {}

  private ProjectedTopic(Predicate<EventPosition> outside) {
    this.outside = outside;
  }

  /**
   * Reads the whole topic. {@code interest} selects keys whose arrivals are indexed; {@code
   * keepAll} keeps every record's position for latency statistics.
   */
  public static ProjectedTopic read(
      KafkaAccess kafka, Predicate<MappingKey> interest, boolean keepAll) {
    return read(kafka, interest, keepAll, cause -> false);
  }

  /**
   * Reads the whole topic, and notes the keys with a record caused by an event {@code outside} says
   * is not of interest (one after a replay's cut, say): {@link #causesOutside}.
   */
  public static ProjectedTopic read(
      KafkaAccess kafka,
      Predicate<MappingKey> interest,
      boolean keepAll,
      Predicate<EventPosition> outside) {
    ProjectedTopic topic = new ProjectedTopic(outside);
    try (LogSchemas schemas = LogSchemas.open(kafka.clientConfig())) {
      readInto(topic, kafka, V2PSerde.mappings(schemas), interest, keepAll);
    }
    return topic;
  }

  private static void readInto(
      ProjectedTopic topic,
      KafkaAccess kafka,
      V2PSerde<ProjectedMapping> serde,
      Predicate<MappingKey> interest,
      boolean keepAll) {
    kafka.readToEnd(
        Topics.MAPPINGS,
        record -> {
          if (record.value() == null) { // a tombstone: the projector removed a retired key
            MappingKey key = MappingKey.ofRecordKey(record.key());
            long upTo = TombstoneHeader.upTo(record.headers());
            if (key != null && upTo != TombstoneHeader.MALFORMED) { // else ignored, as appliers do
              topic.live.remove(key, upTo);
              topic.replaced(record.partition(), key);
            }
            return true;
          }
          ProjectedMapping projected;
          try {
            RecordOrigin origin =
                RecordOrigin.of(record.topic(), record.partition(), record.offset());
            serde.checkSchemaHeader(record.headers(), origin);
            projected = serde.codec().decode(record.value(), origin);
            if (!projected.key().isUnder(record.key())) {
              topic.held(record.partition(), record.key()); // not under its own key
              return true;
            }
          } catch (RecordDecodeException e) {
            if (e.isTransient()) { // the registry could not be read: nothing is known of it
              throw RegistryRefusal.unanswered(e);
            }
            if (e.isRegistryRefusal()) { // not held by the appliers: they may look it up
              throw RegistryRefusal.stop("the appliers may apply it", e.getMessage());
            }
            topic.held(record.partition(), record.key());
            return true;
          }
          topic.replaced(record.partition(), projected.key());
          topic.live.offer(projected.mapping());
          if (topic.outside.test(projected.cause())) {
            topic.causesOutside.merge(
                projected.key(),
                projected.cause(),
                (a, b) -> b.offset() > a.offset() ? b : a); // a key's events share a partition
          }
          Arrival arrival =
              new Arrival(
                  record.partition(),
                  record.offset(),
                  Instant.ofEpochMilli(record.timestamp()),
                  projected.cause());
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

  /**
   * A record the appliers hold, read under Kafka key {@code kafkaKey}: it replaces the one before.
   */
  private void held(int partition, byte @Nullable [] kafkaKey) {
    MappingKey key = MappingKey.ofRecordKey(kafkaKey);
    if (key == null) {
      heldUnderNoKey++;
    } else {
      heldUnderKey.add(new KeyIn(partition, key));
    }
  }

  /** A record or tombstone under {@code key} was read: it replaces a held one before it there. */
  private void replaced(int partition, MappingKey key) {
    if (!heldUnderKey.isEmpty()) {
      heldUnderKey.remove(new KeyIn(partition, key));
    }
  }

  public MappingTable live() {
    return live;
  }

  public Arrival arrival(MappingKey key, long locationGen) {
    return arrivals.get(new RecordId(key, locationGen));
  }

  /** The keys with a record caused by an event the reader called outside, with its latest. */
  public Map<MappingKey, EventPosition> causesOutside() {
    return Collections.unmodifiableMap(causesOutside);
  }

  public List<Arrival> all() {
    return all;
  }

  /**
   * Records that do not decode, whose schema header names another type, or whose Kafka key is not
   * their mapping's key as the projector writes it, and that no later record or tombstone under
   * their Kafka key in their partition replaced: appliers hold them.
   */
  public long undecodable() {
    return heldUnderNoKey + heldUnderKey.size();
  }
}
