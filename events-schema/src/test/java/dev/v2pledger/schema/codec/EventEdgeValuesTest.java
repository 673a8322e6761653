package dev.v2pledger.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.jsonl.JsonlException;
import dev.v2pledger.schema.jsonl.JsonlReader;
import dev.v2pledger.schema.jsonl.JsonlWriter;
import dev.v2pledger.schema.testing.SampleEvents;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Edge values of the envelope's free fields ({@code source}, {@code occurred_at}): what one form
 * holds, the other holds too (domain, Avro and JSON lines), and what neither can hold is refused
 * where it is made, not dropped or changed on the way.
 */
class EventEdgeValuesTest {
  private static final RecordOrigin ORIGIN = RecordOrigin.of("v2p.events", 0, 0);
  private static final String DELETED =
      "{\"type\":\"InstanceDeleted\",\"instance_id\":\"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6\"";

  private final EventCodec codec = new EventCodec();

  private static InstanceEvent deleted(Instant occurredAt, String source) {
    return new InstanceEvent(
        null, SampleEvents.INSTANCE, occurredAt, source, new EventPayload.InstanceDeleted());
  }

  private void assertRoundTrips(InstanceEvent event) {
    assertThat(codec.decode(codec.encode(event), ORIGIN)).as("Avro").isEqualTo(event);
    assertThat(JsonlReader.parseLine(JsonlWriter.toLine(event, null), 1).event())
        .as("JSON lines")
        .isEqualTo(event);
  }

  @Test
  void givenSourceWithUnicodeBeyondTheBmp_thenItRoundTripsThroughAvroAndJsonLines() {
    assertRoundTrips(deleted(null, "sled-agent/\uD83D\uDE00 é \u2028"));
    assertRoundTrips(deleted(null, ""));
  }

  @Test
  void givenSourceWithALoneSurrogate_thenTheEventIsRefusedNamingSource() {
    // UTF-8 (Avro's strings, a JSON-lines file) cannot hold a lone surrogate: Avro wrote '?'
    for (String source : List.of("a\uD800b", "\uDC00", "x\uD83D")) {
      assertThatThrownBy(() -> deleted(null, source))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("source")
          .hasMessageContaining("surrogate");
    }
    assertThatThrownBy(() -> JsonlReader.parseLine(DELETED + ",\"source\":\"a\\ud800\"}", 4))
        .isInstanceOf(JsonlException.class)
        .hasMessageContaining("line 4")
        .hasMessageContaining("surrogate");
  }
}
