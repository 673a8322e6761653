package dev.v2pledger.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.codec.RecordDecodeException.Reason;
import dev.v2pledger.schema.domain.ApplierAck;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.testing.SampleEvents;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MappingAndAckCodecTest {
  private static final RecordOrigin ORIGIN = RecordOrigin.of("v2p.mappings", 0, 7);
  private static final EventPosition CAUSE =
      new EventPosition(3, 42, Instant.parse("2026-11-23T20:15:00.123Z"));
  private final MappingCodec mappings = new MappingCodec();
  private final AckCodec acks = new AckCodec();

  @Test
  void setMappingRoundTrips() {
    ProjectedMapping set =
        new ProjectedMapping(
            V2PMapping.set(
                MappingKey.parse("7777/fd77::5/12"),
                new V2PTarget(
                    MacAddr.parse("a8:40:25:f1:6e:6f"),
                    Ipv6Addr.parse("fd00:1122:3344:101::1"),
                    SampleEvents.SLED_1),
                SampleEvents.INSTANCE,
                SampleEvents.NIC,
                3),
            CAUSE);

    assertThat(mappings.decode(mappings.encode(set), ORIGIN)).isEqualTo(set);
  }

  @Test
  void clearedMappingRoundTrips() {
    ProjectedMapping cleared =
        new ProjectedMapping(
            V2PMapping.cleared(
                MappingKey.parse("7777/172.30.0.5/12"), SampleEvents.INSTANCE, SampleEvents.NIC, 4),
            CAUSE);

    assertThat(mappings.decode(mappings.encode(cleared), ORIGIN)).isEqualTo(cleared);
  }

  @Test
  void setRecordWithoutUnderlayIsAnInvalidValue() {
    dev.v2pledger.schema.avro.V2PMapping record =
        MappingCodec.toAvro(
            new ProjectedMapping(
                V2PMapping.set(
                    MappingKey.parse("7777/172.30.0.5/12"),
                    new V2PTarget(
                        MacAddr.parse("a8:40:25:f1:6e:6f"),
                        Ipv6Addr.parse("fd00::1"),
                        SampleEvents.SLED_1),
                    SampleEvents.INSTANCE,
                    SampleEvents.NIC,
                    3),
                CAUSE));
    record.setUnderlayIp(null);
    byte[] bytes =
        AvroRecordCodec.<dev.v2pledger.schema.avro.V2PMapping>forSchema(record.getSchema())
            .encode(record);

    assertThatThrownBy(() -> mappings.decode(bytes, ORIGIN))
        .isInstanceOfSatisfying(
            RecordDecodeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_VALUE))
        .hasMessageEndingWith("field 'underlay_ip': is missing");
  }

  @Test
  void givenAnAckTimedFinerThanAMillisecond_thenItRoundTripsAsTheSchemaHoldsIt() {
    // an applier stamps acks with its clock's instant, which has microseconds on Linux
    ApplierAck ack =
        new ApplierAck(SampleEvents.SLED_2, 5, 1234, Instant.parse("2026-11-23T20:15:01.123456Z"));

    assertThat(acks.decode(acks.encode(ack), ORIGIN)).isEqualTo(ack);
    assertThat(ack.time()).isEqualTo(Instant.parse("2026-11-23T20:15:01.123Z"));
    assertThatThrownBy(
            () ->
                new ApplierAck(
                    SampleEvents.SLED_2,
                    5,
                    1234,
                    Instant.ofEpochMilli(Long.MAX_VALUE).plusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("time");
  }

  @Test
  void ackRoundTrips() {
    ApplierAck ack =
        new ApplierAck(SampleEvents.SLED_2, 5, 1234, Instant.parse("2026-11-23T20:15:01.5Z"));

    assertThat(acks.decode(acks.encode(ack), ORIGIN)).isEqualTo(ack);
  }

  @Test
  void eachCodecRefusesTheOthersRecords() {
    byte[] ack = acks.encode(new ApplierAck(SampleEvents.SLED_2, 5, 1234, Instant.EPOCH));

    assertThatThrownBy(() -> mappings.decode(ack, ORIGIN))
        .isInstanceOfSatisfying(
            RecordDecodeException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA));
  }
}
