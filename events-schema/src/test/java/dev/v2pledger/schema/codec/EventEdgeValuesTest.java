package dev.v2pledger.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.jsonl.JsonlException;
import dev.v2pledger.schema.jsonl.JsonlReader;
import dev.v2pledger.schema.jsonl.JsonlWriter;
import dev.v2pledger.schema.testing.SampleEvents;
import dev.v2pledger.schema.testing.Seeds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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

  @Test
  void givenOccurredAtAnywhereInTheSchemaRange_thenItRoundTripsThroughAvroAndJsonLines() {
    long seed = Seeds.pick("EventEdgeValuesTest");
    Random random = new Random(seed);
    List<Instant> times = new ArrayList<>();
    times.add(Instant.EPOCH);
    times.add(micros(Long.MAX_VALUE));
    times.add(micros(Long.MIN_VALUE));
    times.add(micros(-1));
    for (int i = 0; i < 2_000; i++) {
      times.add(micros(random.nextLong()));
      times.add(micros(random.nextLong() >> random.nextInt(40)));
    }
    for (Instant time : times) {
      InstanceEvent event = deleted(time, "nexus");
      try {
        assertRoundTrips(event);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(Seeds.replay(seed) + ", occurred_at " + time, e);
      }
    }
  }

  @Test
  void givenOccurredAtFinerThanAMicrosecond_thenItIsKeptToTheMicrosecondAsTheSchemaHoldsIt() {
    InstanceEvent event = deleted(Instant.parse("2026-11-23T20:15:00.123456789Z"), null);

    assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-23T20:15:00.123456Z"));
    assertRoundTrips(event);
    assertThat(deleted(Instant.parse("1969-12-31T23:59:59.999999999Z"), null).occurredAt())
        .isEqualTo(micros(-1));
    assertThat(
            JsonlReader.parseLine(DELETED + ",\"occurred_at\":\"2026-11-23T20:15:00.1234567Z\"}", 1)
                .event()
                .occurredAt())
        .isEqualTo(Instant.parse("2026-11-23T20:15:00.123456Z"));
  }

  @Test
  void givenOccurredAtOutsideTheSchemaRange_thenTheEventIsRefusedNamingOccurredAt() {
    for (Instant time :
        List.of(micros(Long.MAX_VALUE).plusNanos(1000), micros(Long.MIN_VALUE).minusNanos(1000))) {
      assertThatThrownBy(() -> deleted(time, null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("occurred_at");
    }
    assertThatThrownBy(
            () ->
                JsonlReader.parseLine(
                    DELETED + ",\"occurred_at\":\"+292278994-08-17T07:12:55Z\"}", 2))
        .isInstanceOf(JsonlException.class)
        .hasMessageContaining("line 2: field 'occurred_at'");
  }

  private static Instant micros(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
  }
}
