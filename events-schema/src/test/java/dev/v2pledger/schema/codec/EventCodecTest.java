package dev.v2pledger.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.avro.NicAttached;
import dev.v2pledger.schema.avro.VmmPlaced;
import dev.v2pledger.schema.codec.RecordDecodeException.Reason;
import dev.v2pledger.schema.domain.ApplierAck;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.testing.SampleEvents;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {
  private static final RecordOrigin ORIGIN = RecordOrigin.of("v2p.events", 3, 42);
  private final EventCodec codec = new EventCodec();

  static List<InstanceEvent> everyType() {
    return SampleEvents.everyType();
  }

  @ParameterizedTest
  @MethodSource("everyType")
  void everyEventTypeRoundTrips(InstanceEvent event) {
    byte[] bytes = codec.encode(event);

    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    assertThat(codec.decode(bytes, ORIGIN)).isEqualTo(event);
  }

  @Test
  void eventWithoutOptionalFieldsRoundTrips() {
    InstanceEvent bare =
        InstanceEvent.of(SampleEvents.INSTANCE, new EventPayload.InstanceDeleted());

    assertThat(codec.decode(codec.encode(bare), ORIGIN)).isEqualTo(bare);
  }

  @Test
  void givenUnknownFingerprint_whenDecoded_thenTypedErrorWithOrigin() {
    byte[] bytes = codec.encode(SampleEvents.everyType().get(0));
    bytes[2] ^= 0x5a;

    assertThatThrownBy(() -> codec.decode(bytes, ORIGIN))
        .isInstanceOfSatisfying(
            RecordDecodeException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA);
              assertThat(e.origin()).isEqualTo(ORIGIN);
            })
        .hasMessageStartingWith("v2p.events-3@42: unknown schema: writer schema fingerprint ");
  }

  @Test
  void givenAnotherRecordType_whenDecodedAsEvent_thenUnknownSchema() {
    byte[] ack = new AckCodec().encode(new ApplierAck(SampleEvents.SLED_1, 0, 1, Instant.EPOCH));

    assertThatThrownBy(() -> codec.decode(ack, ORIGIN))
        .isInstanceOfSatisfying(
            RecordDecodeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA));
  }

  @Test
  void givenTruncatedBody_whenDecoded_thenCorruptNotAnAvroStackTrace() {
    byte[] bytes = codec.encode(SampleEvents.everyType().get(0));
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 7);

    assertThatThrownBy(() -> codec.decode(truncated, ORIGIN))
        .isInstanceOfSatisfying(
            RecordDecodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT))
        .hasMessageContaining("corrupt record");
  }

  @Test
  void givenNoMarkerOrTooShort_whenDecoded_thenCorrupt() {
    assertThatThrownBy(() -> codec.decode("{\"type\":\"json\"}".getBytes(), ORIGIN))
        .hasMessageContaining("not Avro single-object encoding");
    assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xC3, 1, 2}, ORIGIN))
        .hasMessageContaining("not Avro single-object encoding");
    assertThatThrownBy(() -> codec.decode(null, ORIGIN)).hasMessageContaining("no value");
  }

  @Test
  void givenHugeLengthPrefix_whenDecoded_thenCorruptWithoutAllocatingIt() {
    byte[] header = Arrays.copyOf(codec.encode(SampleEvents.everyType().get(6)), 10);
    byte[] bytes = Arrays.copyOf(header, 20);
    bytes[10] = 2; // event_id: union branch 1 (string)
    Arrays.fill(bytes, 11, 16, (byte) 0xff); // a varint length of ~2^34
    bytes[15] = 0x0f;

    assertThatThrownBy(() -> codec.decode(bytes, ORIGIN))
        .isInstanceOfSatisfying(
            RecordDecodeException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CORRUPT));
  }

  /** Sample event {@code index}, changed by {@code change}, is refused with {@code message}. */
  private record InvalidField(
      String name,
      int index,
      Consumer<dev.v2pledger.schema.avro.InstanceEvent> change,
      String message) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<InvalidField> invalidFields() {
    return List.of(
        new InvalidField(
            "valid Avro with a bad UUID",
            1,
            record -> ((VmmPlaced) record.getPayload()).setSledId("not-a-uuid"),
            "v2p.events-3@42: invalid value: field 'sled_id': sled id 'not-a-uuid' is not a UUID"
                + " (8-4-4-4-12 hex digits)"),
        new InvalidField(
            "report carrying instance_gen",
            4,
            record -> record.setInstanceGen(7L),
            "v2p.events-3@42: invalid value: field 'instance_gen': is Nexus' generation; a"
                + " VmmReported (a sled agent's report) does not carry it"));
  }

  @ParameterizedTest
  @MethodSource("invalidFields")
  void givenInvalidField_whenDecoded_thenInvalidValueNamingTheField(InvalidField invalid) {
    byte[] bytes = sampleChanged(invalid.index(), invalid.change());

    assertThatThrownBy(() -> codec.decode(bytes, ORIGIN))
        .satisfies(EventCodecTest::invalidValue)
        .hasMessage(invalid.message());
  }

  @Test
  void givenValidAvroWithBadIp_whenDecoded_thenInvalidValueNamingTheListIndex() {
    byte[] bytes =
        sampleChanged(
            0,
            record ->
                ((NicAttached) record.getPayload()).setIps(List.of("172.30.0.5", "300.1.1.1")));

    assertThatThrownBy(() -> codec.decode(bytes, ORIGIN))
        .hasMessageEndingWith("field 'ips[1]': '300.1.1.1' is not an IPv4 or IPv6 address");
  }

  @Test
  void givenNexusEventAtInstanceGenZero_whenDecoded_thenInvalidValue() {
    byte[] bytes = sampleChanged(1, record -> record.setInstanceGen(0L));

    assertThatThrownBy(() -> codec.decode(bytes, ORIGIN))
        .hasMessageEndingWith("field 'instance_gen': must be at least 1, got 0");
  }

  @Test
  void givenEventWrittenWithV1Schema_whenDecoded_thenItHasNoInstanceGen() throws Exception {
    Schema v1 = SchemaHistory.versions("InstanceEvent").get(0);
    byte[] bytes = deletedWrittenWith(v1);

    InstanceEvent decoded = codec.decode(bytes, ORIGIN);

    assertThat(v1.getField("instance_gen")).isNull();
    assertThat(decoded.instanceGen()).isNull();
    assertThat(decoded.payload()).isEqualTo(new EventPayload.InstanceDeleted());
  }

  @Test
  void givenRecordFromOlderWriterSchema_whenDecodedWithHistory_thenMissingFieldTakesItsDefault()
      throws Exception {
    Schema current = dev.v2pledger.schema.avro.InstanceEvent.getClassSchema();
    Schema older = withoutField(current, "source");
    byte[] bytes = deletedWrittenWith(older);
    AvroRecordCodec<dev.v2pledger.schema.avro.InstanceEvent> reader =
        new AvroRecordCodec<>(current, SpecificData.getForSchema(current), List.of(older));

    dev.v2pledger.schema.avro.InstanceEvent decoded = reader.decode(bytes, ORIGIN);

    assertThat(SchemaNormalization.parsingFingerprint64(older))
        .isNotEqualTo(SchemaNormalization.parsingFingerprint64(current));
    assertThat(decoded.getSource()).isNull();
    assertThat(EventCodec.fromAvro(decoded))
        .isEqualTo(InstanceEvent.of(SampleEvents.INSTANCE, new EventPayload.InstanceDeleted()));
  }

  private static Schema withoutField(Schema schema, String name) {
    List<Schema.Field> fields =
        schema.getFields().stream()
            .filter(f -> !f.name().equals(name))
            .map(f -> new Schema.Field(f, f.schema()))
            .toList();
    return Schema.createRecord(
        schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  /**
   * An InstanceDeleted event of the sample instance without optional fields, written with the
   * (older) schema {@code writer}; its {@code source} is "nexus" where {@code writer} has one.
   */
  private static byte[] deletedWrittenWith(Schema writer) throws IOException {
    GenericRecord old = new GenericData.Record(writer);
    old.put("event_id", null);
    old.put("instance_id", SampleEvents.INSTANCE.toString());
    old.put("occurred_at", null);
    if (writer.getField("source") != null) {
      old.put("source", "nexus");
    }
    old.put(
        "payload", new GenericData.Record(writer.getField("payload").schema().getTypes().get(6)));
    return new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(old).array();
  }

  /** Sample event {@code index} as Avro, changed by {@code change}, then encoded unchecked. */
  private static byte[] sampleChanged(
      int index, Consumer<dev.v2pledger.schema.avro.InstanceEvent> change) {
    dev.v2pledger.schema.avro.InstanceEvent record =
        EventCodec.toAvro(SampleEvents.everyType().get(index));
    change.accept(record);
    return AvroRecordCodec.<dev.v2pledger.schema.avro.InstanceEvent>forSchema(record.getSchema())
        .encode(record);
  }

  private static void invalidValue(Throwable error) {
    assertThat(error).isInstanceOf(RecordDecodeException.class);
    assertThat(((RecordDecodeException) error).reason()).isEqualTo(Reason.INVALID_VALUE);
  }
}
