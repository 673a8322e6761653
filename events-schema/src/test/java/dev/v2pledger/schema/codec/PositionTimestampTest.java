package dev.v2pledger.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.jsonl.JsonlException;
import dev.v2pledger.schema.jsonl.JsonlReader;
import dev.v2pledger.schema.testing.SampleEvents;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A position's timestamp is a Kafka log-append time, which {@code V2PMapping.cause} holds as {@code
 * timestamp-millis}: a position is kept to the millisecond, and one a long of milliseconds cannot
 * hold is refused where it is made (an export's line), not by the encoder of a mapping it caused.
 */
class PositionTimestampTest {
  private static final RecordOrigin ORIGIN = RecordOrigin.of("v2p.mappings", 0, 7);
  private static final String DELETED =
      "{\"type\":\"InstanceDeleted\",\"instance_id\":\"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6\"";
  private final MappingCodec mappings = new MappingCodec();

  private ProjectedMapping causedAt(Instant timestamp) {
    return new ProjectedMapping(
        V2PMapping.cleared(
            MappingKey.parse("7777/172.30.0.5/12"), SampleEvents.INSTANCE, SampleEvents.NIC, 3),
        new EventPosition(1, 2, timestamp));
  }

  @Test
  void givenAPositionFinerThanAMillisecond_thenTheMappingItCausedReadsBackAsMade() {
    for (String time :
        new String[] {
          "2026-11-23T20:15:00.123456Z", "1969-12-31T23:59:59.9999Z", "+10000-01-01T00:00:00.0001Z"
        }) {
      ProjectedMapping mapping = causedAt(Instant.parse(time));

      assertThat(mappings.decode(mappings.encode(mapping), ORIGIN)).as(time).isEqualTo(mapping);
    }
    assertThat(new EventPosition(1, 2, Instant.parse("2026-11-23T20:15:00.123456Z")).timestamp())
        .isEqualTo(Instant.parse("2026-11-23T20:15:00.123Z"));
  }

  @Test
  void givenAPositionBeyondALongOfMilliseconds_thenItIsRefusedWhereItIsMade() {
    Instant beyond = Instant.ofEpochMilli(Long.MAX_VALUE).plusMillis(1);
    assertThatThrownBy(() -> new EventPosition(1, 2, beyond))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timestamp");
    assertThat(
            mappings.decode(
                mappings.encode(causedAt(Instant.ofEpochMilli(Long.MIN_VALUE))), ORIGIN))
        .isEqualTo(causedAt(Instant.ofEpochMilli(Long.MIN_VALUE)));

    String line =
        DELETED
            + ",\"position\":{\"partition\":1,\"offset\":2,\"timestamp\":\"+300000000-01-01T00:00:00Z\"}}";
    assertThatThrownBy(() -> JsonlReader.parseLine(line, 5))
        .isInstanceOf(JsonlException.class)
        .hasMessageContaining("line 5: field 'position.timestamp'");
  }
}
