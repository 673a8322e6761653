package dev.v2pledger.schema.codec;

import dev.v2pledger.schema.Partitioning;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.Values;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * What may be folded of a record of {@code v2p.events}, decided once for the projector (which sends
 * the rest to the dead-letter topic) and the replay tool (which counts them), so a replay folds
 * exactly what the projector folded: the value must decode (a writer schema this build or its
 * {@link SchemaSource} knows, valid values), the key must be the event's instance id, and the
 * record must sit in its key's partition (murmur2, {@link Partitioning}). Thread-safe.
 */
public final class EventAdmission {
  /** Why a record is refused; the names are the dead-letter topic's {@code v2p.dlq.reason}. */
  public enum Reason {
    UNKNOWN_SCHEMA,
    CORRUPT,
    INVALID_VALUE,
    KEY_MISMATCH,
    MISROUTED
  }

  /**
   * The decision: {@code event} when admitted; otherwise why not, in one line, and for {@code
   * MISROUTED} the partition the key belongs in.
   *
   * @param registryRefused an {@code UNKNOWN_SCHEMA} refusal because the registry refused this
   *     reader (no ACL, say), not because the schema is not there: another reader, with the access
   *     this one lacks, may decode the record
   */
  public record Verdict(
      @Nullable InstanceEvent event,
      @Nullable Reason reason,
      @Nullable String error,
      int expectedPartition,
      boolean registryRefused) {
    public boolean admitted() {
      return event != null;
    }

    static Verdict admit(InstanceEvent event) {
      return new Verdict(event, null, null, -1, false);
    }

    static Verdict refuse(Reason reason, String error) {
      return new Verdict(null, reason, error, -1, false);
    }
  }

  private final V2PSerde<InstanceEvent> events;

  public EventAdmission(SchemaSource schemas) {
    this.events = V2PSerde.events(schemas);
  }

  /**
   * Judges one record of the events topic as a consumer read it.
   *
   * @param partitions the topic's partition count (0: do not check the partition)
   */
  public Verdict judge(ConsumerRecord<byte[], byte[]> record, int partitions) {
    return judge(
        record.topic(),
        record.partition(),
        record.offset(),
        record.key(),
        record.value(),
        record.headers(),
        partitions);
  }

  /**
   * Judges one record of the events topic.
   *
   * @param partitions the topic's partition count (0: do not check the partition)
   * @throws RecordDecodeException when the record's schema could not be looked up for a reason that
   *     passes ({@link RecordDecodeException#isTransient}): judge it again later
   */
  public Verdict judge(
      String topic,
      int partition,
      long offset,
      byte @Nullable [] key,
      byte @Nullable [] value,
      @Nullable Headers headers,
      int partitions) {
    RecordOrigin origin = RecordOrigin.of(topic, partition, offset);
    InstanceEvent event;
    try {
      events.checkSchemaHeader(headers, origin);
      event = events.codec().decode(value, origin);
    } catch (RecordDecodeException e) {
      if (e.isTransient()) {
        throw e; // the registry did not answer: read it again later, refuse nothing for it
      }
      return new Verdict(
          null, Reason.valueOf(e.reason().name()), e.detail(), -1, e.isRegistryRefusal());
    }
    String text = key == null ? null : new String(key, StandardCharsets.UTF_8);
    if (!event.key().equals(text)) {
      return Verdict.refuse(
          Reason.KEY_MISMATCH,
          (text == null ? "the record has no key" : "record key '" + Values.abbreviate(text) + "'")
              + " is not the event's instance id "
              + event.key());
    }
    if (partitions > 0) {
      int expected = Partitioning.partitionOf(key, partitions);
      if (expected != partition) {
        return new Verdict(
            null,
            Reason.MISROUTED,
            "key "
                + text
                + " belongs in partition "
                + expected
                + " of "
                + partitions
                + " (murmur2, Java's default partitioner; librdkafka: partitioner=murmur2_random),"
                + " not "
                + partition,
            expected,
            false);
      }
    }
    return Verdict.admit(event);
  }
}
