package dev.v2pledger.schema.jsonl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.testing.Seeds;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StrictJsonTest {
  private static final String DELETED =
      "{\"type\":\"InstanceDeleted\",\"instance_id\":\"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6\"";

  @Test
  void aFieldNamedTwiceIsRefusedRatherThanLastOneWins() {
    assertThatThrownBy(
            () -> JsonlReader.parseLine(DELETED + ",\"source\":\"a\",\"source\":\"b\"}", 4))
        .hasMessage("line 4: field 'source': appears twice");
  }

  @Test
  void contentAfterTheObjectIsRefused() {
    assertThatThrownBy(() -> JsonlReader.parseLine(DELETED + "} {}", 5))
        .hasMessage("line 5: not valid JSON: more content after the object");
  }

  @Test
  void fastTimeParserAgreesWithJavaTimeOnRandomInstants() {
    long seed = Seeds.pick("StrictJsonTest");
    Random random = new Random(seed);
    for (int i = 0; i < 10_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(
              random.nextInt(Integer.MAX_VALUE),
              random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
      String text = instant.toString();
      assertThat(Rfc3339.parse(text))
          .as("%s: %s", Seeds.replay(seed), text)
          .isEqualTo(OffsetDateTime.parse(text).toInstant());
    }
    assertThat(Rfc3339.parse("2026-11-23T21:15:00.5+01:00"))
        .isEqualTo(Instant.parse("2026-11-23T20:15:00.500Z"));
  }

  @Test
  void impossibleDatesAndTimesAreRefused() {
    for (String bad :
        new String[] {
          "2026-02-30T00:00:00Z",
          "2026-11-23T24:00:00Z",
          "2026-11-23T20:61:00Z",
          "2026-11-23T20:15:00.Z",
          "2026-11-23 20:15:00Z"
        }) {
      assertThatThrownBy(() -> Rfc3339.parse(bad))
          .as(bad)
          .isInstanceOf(DateTimeParseException.class);
    }
  }
}
