package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.SchemaSource;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.registry.ReadInProgressException;
import dev.v2pledger.schema.testing.NextRelease;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** What the applier makes of each polled record before anything is applied. */
class RecordDecoderTest {
  private final RecordDecoder decoder = new RecordDecoder(V2PSerde.mappings());

  private static ConsumerRecord<byte[], byte[]> record(@Nullable String key, V2PMapping mapping) {
    byte[] value =
        new MappingCodec()
            .encode(new ProjectedMapping(mapping, new EventPosition(0, 7, Instant.EPOCH)));
    return record(42, key, value);
  }

  private static ConsumerRecord<byte[], byte[]> record(
      long offset, @Nullable String key, byte[] value) {
    RecordHeaders headers = new RecordHeaders();
    V2PSerde.mappings().addHeaders(headers);
    return new ConsumerRecord<>(
        Topics.MAPPINGS,
        0,
        offset,
        0L,
        TimestampType.CREATE_TIME,
        key == null ? -1 : key.length(),
        value.length,
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value,
        headers,
        Optional.empty());
  }

  private RecordDecoder.Decoded decode(ConsumerRecord<byte[], byte[]> record) {
    return decoder
        .decode(
            new ConsumerRecords<>(
                Map.of(new TopicPartition(Topics.MAPPINGS, 0), List.of(record)), Map.of()))
        .get(0);
  }

  /**
   * A hold's log line says what can end it: a record whose {@code v2p.schema} header names another
   * type never decodes, nor does one with an invalid value; one under no key as the projector
   * writes it is never replaced.
   */
  @Test
  void aHoldsLogLineNamesOnlyWhatCanEndIt() {
    RecordHeaders other = new RecordHeaders();
    other.add(Topics.HEADER_SCHEMA, "dev.v2pledger.schema.avro.ApplierAck".getBytes(UTF_8));
    RecordHeaders own = new RecordHeaders();
    own.add(Topics.HEADER_SCHEMA, "dev.v2pledger.schema.avro.V2PMapping".getBytes(UTF_8));
    assertThat(decoder.headerAdmits(other)).isFalse();
    assertThat(decoder.headerAdmits(own)).isTrue();
    assertThat(decoder.headerAdmits(new RecordHeaders())).isTrue();

    assertThat(HeldRecords.endsWhen(true, true))
        .isEqualTo("it decodes, its key's later record replaces it, or an operator skips it");
    assertThat(HeldRecords.endsWhen(true, false))
        .isEqualTo("its key's later record replaces it or an operator skips it");
    assertThat(HeldRecords.endsWhen(false, true)).isEqualTo("an operator skips it");
  }

  @Test
  void aRecordUnderItsOwnKeyIsDecoded() {
    V2PMapping mapping = set(vip("10.9.0.5"), 1, 3, S);

    RecordDecoder.Decoded decoded = decode(record(mapping.key().toString(), mapping));

    assertThat(decoded.error()).isNull();
    assertThat(decoded.mapping()).isEqualTo(mapping);
  }

  /**
   * A record is under its own key only when its Kafka key is the key as the projector writes it,
   * byte for byte (DESIGN "Fail safe"): compaction keeps records by those bytes, so a record under
   * another spelling, or a key that does not parse, or none, would never be replaced by its key's
   * later records, and applied it would come back on every start. Refused before its value is
   * decoded: its schema appearing later changes nothing.
   */
  @Test
  void aKafkaKeyNotAsTheProjectorWritesIt_isRefused_whateverTheValue() {
    V2PMapping v6 = set(vip("fd00::1"), 1, 3, S);
    String vni = v6.key().vip().vni() + "/";

    assertThat(decode(record(vni + "fd00::1/1", v6)).error()).isNull();
    assertThat(refusal(record(vni + "fd00:0:0::1/1", v6)))
        .endsWith(
            "its Kafka key '"
                + vni
                + "fd00:0:0::1/1' is not vni/ip/ip_epoch as the projector writes it");
    assertThat(refusal(record("junk", v6))).contains("'junk' is not vni/ip/ip_epoch");
    assertThat(refusal(record(null, v6))).endsWith(RecordDecoder.notAKey(null));
    ConsumerRecord<byte[], byte[]> unknownSchema = record("junk", v6);
    unknownSchema.headers().remove(Topics.HEADER_SCHEMA);
    unknownSchema.headers().add(Topics.HEADER_SCHEMA, "v2p.V2PMapping/v99".getBytes(UTF_8));
    assertThat(refusal(unknownSchema)).contains("'junk' is not vni/ip/ip_epoch");
  }

  private String refusal(ConsumerRecord<byte[], byte[]> record) {
    RecordDecoder.Decoded decoded = decode(record);
    assertThat(decoded.mapping()).isNull();
    assertThat(decoded.error()).isNotNull();
    assertThat(decoded.error().reason()).isEqualTo(RecordDecodeException.Reason.INVALID_VALUE);
    assertThat(decoded.value()).as("kept, to show").isNotNull();
    return decoded.error().detail();
  }

  /**
   * No projector writes a record under another key than its mapping's: another writer's record,
   * held like one that does not decode, so that it never clears the key it names.
   */
  @Test
  void aRecordWhoseValueNamesAnotherKey_isRefused_notApplied() {
    V2PMapping clear = cleared(vip("10.9.0.6"), 1, 4);

    RecordDecoder.Decoded decoded = decode(record("7777/10.9.0.5/1", clear));

    assertThat(decoded.mapping()).isNull();
    assertThat(decoded.error())
        .isNotNull()
        .extracting(RecordDecodeException::reason)
        .isEqualTo(RecordDecodeException.Reason.INVALID_VALUE);
    assertThat(decoded.error().getMessage())
        .contains("its Kafka key 7777/10.9.0.5/1 is not its mapping's key " + clear.key());
    assertThat(decoded.value()).as("kept, to decode again").isNotNull();
  }

  /**
   * A large batch is decoded on several threads, and a lookup of a schema does not wait for another
   * thread's read of {@code v2p.schemas} ({@code LogSchemas.find}): a record whose lookup met one
   * (most likely another worker's of the same batch, looking up the same new schema) is decoded
   * again once the workers are done, not held for it.
   */
  @Test
  void aRecordOfALargeBatchWhoseLookupMetAnotherRead_isDecodedAgain_notHeld() {
    Schema next = NextRelease.of(UpgradesOnKafka.V2P_MAPPING, "parallel");
    AtomicInteger lookups = new AtomicInteger();
    SchemaSource registry =
        fingerprint -> {
          if (lookups.getAndIncrement() == 0) { // another thread reads at that moment
            throw new ReadInProgressException(Topics.SCHEMAS, fingerprint);
          }
          return next;
        };
    RecordDecoder parallel = new RecordDecoder(V2PSerde.mappings(registry));
    List<V2PMapping> mappings = new ArrayList<>();
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
    for (int i = 0; i < 600; i++) { // above the batch size decoded on several threads
      V2PMapping mapping = set(vip("10.9." + (i / 200) + "." + (i % 200 + 1)), 1, 1, S);
      mappings.add(mapping);
      batch.add(record(i, mapping.key().toString(), UpgradesOnKafka.next("parallel", mapping)));
    }

    List<RecordDecoder.Decoded> decoded =
        parallel.decode(
            new ConsumerRecords<>(Map.of(new TopicPartition(Topics.MAPPINGS, 0), batch), Map.of()));

    assertThat(decoded).extracting(RecordDecoder.Decoded::error).containsOnlyNulls();
    assertThat(decoded).extracting(RecordDecoder.Decoded::mapping).isEqualTo(mappings);
  }
}
