package dev.v2pledger.applier.runner;

import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Values;
import dev.v2pledger.schema.registry.ReadInProgressException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Turns polled {@code v2p.mappings} records into {@link Decoded} ones for the applier thread: a
 * mapping (built from shared values, {@link Canonical}), a tombstone, or a record that cannot be
 * decoded, never an exception for a record's own bytes. Large batches (catching up on a snapshot)
 * are decoded on several threads; the result keeps the batch's order. Also decodes a held record's
 * bytes again.
 */
final class RecordDecoder {
  private static final int PARALLEL_DECODE_BATCH = 512;

  private final V2PSerde<ProjectedMapping> serde;
  private final Canonical canonical = new Canonical();

  RecordDecoder(V2PSerde<ProjectedMapping> serde) {
    this.serde = serde;
  }

  /**
   * A record as decoded (or refused), in the batch's order: a mapping, a tombstone (neither a
   * mapping nor an error) or a refused record; {@code key} is the record's key, {@code value} holds
   * the bytes of a refused record; {@code headers} are the record's, which a refused record is
   * checked against again when it is decoded again.
   */
  record Decoded(
      int partition,
      long offset,
      long sentMillis,
      @Nullable V2PMapping mapping,
      long causeEpochMillis,
      @Nullable RecordDecodeException error,
      byte @Nullable [] key,
      byte @Nullable [] value,
      Headers headers) {
    boolean isTombstone() {
      return mapping == null && error == null;
    }
  }

  /**
   * Decodes a batch, on several threads when it is large (catching up on a snapshot): decoding is
   * most of the applier's work per record and independent per record; applying stays in order. A
   * record whose schema cannot be looked up because {@code v2p.schemas} cannot be read now (a read
   * that timed out, or the held-record retrier's read in progress, which a lookup does not wait
   * for) is refused like one whose schema is not registered (it is held, and decoded again later).
   */
  List<Decoded> decode(ConsumerRecords<byte[], byte[]> records) {
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(records.count());
    records.forEach(batch::add);
    if (batch.size() < PARALLEL_DECODE_BATCH) {
      return batch.stream().map(this::decode).toList();
    }
    List<Decoded> decoded = new ArrayList<>(batch.parallelStream().map(this::decode).toList());
    for (int i = 0; i < decoded.size(); i++) { // the workers' reads are over now
      if (metAnotherRead(decoded.get(i))) { // another worker's read, most likely: not held for it
        decoded.set(i, decode(batch.get(i)));
      }
    }
    return decoded;
  }

  /** Whether {@code decoded} was refused because another thread was reading the registry. */
  private static boolean metAnotherRead(Decoded decoded) {
    return KafkaErrors.cause(decoded.error(), ReadInProgressException.class) != null;
  }

  private Decoded decode(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      return decoded(record, null, ApplierEngine.NO_TIME, null, null); // a tombstone
    }
    RecordOrigin origin = RecordOrigin.of(record.topic(), record.partition(), record.offset());
    try {
      MappingKey kafkaKey = MappingKey.ofRecordKey(record.key());
      if (kafkaKey == null) { // a writer other than the projector: held, never applied
        throw new RecordDecodeException(
            RecordDecodeException.Reason.INVALID_VALUE, origin, notAKey(record.key()));
      }
      serde.checkSchemaHeader(record.headers(), origin);
      ProjectedMapping mapping = serde.codec().decode(record.value(), origin);
      if (!mapping.key().equals(kafkaKey)) { // the same
        throw new RecordDecodeException(
            RecordDecodeException.Reason.INVALID_VALUE,
            origin,
            Holds.keyMismatch(kafkaKey, mapping.key()));
      }
      long cause = mapping.cause().timestamp().toEpochMilli();
      return decoded(record, canonical.of(mapping.mapping()), cause, null, null);
    } catch (RecordDecodeException e) {
      return decoded(record, null, ApplierEngine.NO_TIME, e, record.value());
    }
  }

  /**
   * Why a record under Kafka key {@code key} is held whatever its value: the key is not one the
   * projector writes ({@link MappingKey#ofRecordKey}).
   */
  static String notAKey(byte @Nullable [] key) {
    return key == null
        ? "it has no Kafka key (the projector writes vni/ip/ip_epoch)"
        : "its Kafka key '"
            + Values.abbreviate(new String(key, StandardCharsets.UTF_8))
            + "' is not vni/ip/ip_epoch as the projector writes it";
  }

  /** What {@code record} (its partition, offset and timestamp) decoded to. */
  private static Decoded decoded(
      ConsumerRecord<byte[], byte[]> record,
      @Nullable V2PMapping mapping,
      long causeEpochMillis,
      @Nullable RecordDecodeException error,
      byte @Nullable [] value) {
    return new Decoded(
        record.partition(),
        record.offset(),
        record.timestamp(),
        mapping,
        causeEpochMillis,
        error,
        record.key(),
        value,
        record.headers());
  }

  /**
   * The held record decoded again (its schema may be registered now); its headers are checked
   * again, as when it was first read.
   *
   * @throws RecordDecodeException saying why it still does not decode (the reason may have changed:
   *     a registry that could not be read may be read now, and not have the schema)
   */
  ProjectedMapping decodeAgain(Holds.Held held) {
    RecordOrigin origin = RecordOrigin.of(Topics.MAPPINGS, held.partition(), held.offset());
    serde.checkSchemaHeader(held.headers(), origin);
    return serde.codec().decode(held.value(), origin);
  }

  /**
   * Whether {@code headers} let a record decode some day: no {@code v2p.schema} header, or one
   * naming the mapping record type.
   */
  boolean headerAdmits(Headers headers) {
    return serde.schemaHeaderAdmits(headers);
  }

  /** {@code mapping} built from shared values; equal to it. */
  V2PMapping shared(V2PMapping mapping) {
    return canonical.of(mapping);
  }
}
