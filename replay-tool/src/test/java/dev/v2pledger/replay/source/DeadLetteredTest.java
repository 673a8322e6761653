package dev.v2pledger.replay.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** Letters as {@link DeadLettered} reads their headers. */
class DeadLetteredTest {
  /**
   * A letter that names its position but whose {@code v2p.dlq.timestamp} does not parse counts for
   * whatever record is at its position, as one without the header does (and as every letter did
   * before timestamps were compared): it was dropped, as if it named no position, so the replay
   * folded the event it names and said the letter named no position.
   */
  @Test
  void aLetterWhoseTimestampDoesNotParse_countsForTheRecordAtItsPosition() {
    DeadLettered letters = new DeadLettered();
    RecordHeaders headers = new RecordHeaders();
    header(headers, Topics.HEADER_DLQ_TOPIC, Topics.EVENTS);
    header(headers, Topics.HEADER_DLQ_PARTITION, "0");
    header(headers, Topics.HEADER_DLQ_OFFSET, "5");
    header(headers, Topics.HEADER_DLQ_TIMESTAMP, "not a time");
    header(headers, Topics.HEADER_DLQ_REASON, "UNDECODABLE");

    assertThat(letters.add(headers)).as("names a position").isTrue();
    letters.positions().seal();

    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>(Topics.EVENTS, 0, 5, new byte[0], new byte[0]);
    assertThat(letters.reason(record)).isEqualTo("UNDECODABLE");
    assertThat(letters.stale(Map.of(), Map.of(0, 6L), Map.of(0, 6L))).isNull();
  }

  private static void header(RecordHeaders headers, String key, String value) {
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
