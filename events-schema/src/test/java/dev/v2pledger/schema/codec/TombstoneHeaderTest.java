package dev.v2pledger.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TombstoneHeaderTest {
  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "(none)|9223372036854775807", // a tombstone of a build before the header: removes all
        "7|7",
        "0|0",
        "-3|-1",
        "seven|-1",
        "''|-1",
        "99999999999999999999|-1",
        "+7|-1", // not as the projector writes 7: another writer's, refused as any other
        "٧|-1", // ARABIC-INDIC DIGIT SEVEN, which Long.parseLong takes for 7
        "７|-1" // FULLWIDTH DIGIT SEVEN
      })
  void theGenerationATombstoneRemovesUpTo_orMinusOneWhenItsHeaderIsNotOne(
      String header, long upTo) {
    RecordHeaders headers = new RecordHeaders();
    if (!header.equals("(none)")) {
      headers.add(Topics.HEADER_TOMBSTONE_UP_TO, header.getBytes(StandardCharsets.UTF_8));
    }

    assertThat(TombstoneHeader.upTo(headers)).isEqualTo(upTo);
  }
}
