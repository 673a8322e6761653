package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.codec.EventAdmission;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

/**
 * A dead letter always fits a request (DESIGN "Schemas in the log"): a poison as large as its own
 * producer could send is copied whole only when the copy, with the letter's headers, is still far
 * below {@code max.request.size} as the producer measures it. Otherwise every send of the letter
 * would be refused, its transaction with it, and the partition would never move past the poison.
 */
class DeadLettersTest {
  private static final int MAX_REQUEST = 1_048_576;
  private static final byte[] KEY = "dddddddd-0000-4000-8000-00000000000d".getBytes();

  @Test
  void headerKeysCountInBytes_aPoisonOfThreeByteCharsIsNotCopiedWhole() {
    // 300 000 chars of 3 bytes each: 900 000 bytes, but under 512 KiB counted in chars
    Header[] headers = {new RecordHeader("\u20ac".repeat(300_000), null)};

    ProducerRecord<byte[], byte[]> letter = letterOf(largestSendable(headers), headers);

    assertThat(letter.value()).isNull();
    assertThat(letter.headers().lastHeader(DeadLetters.HEADER_OMITTED)).isNotNull();
    assertThat(sizeOf(letter)).isLessThan(MAX_REQUEST);
  }

  @Test
  void headersCountWithTheirLengths_manySmallHeadersAreNotCopiedWhole() {
    Header[] headers = new Header[300_000]; // a byte of key each, but 3 bytes in the batch
    for (int i = 0; i < headers.length; i++) {
      headers[i] = new RecordHeader("h", null);
    }

    ProducerRecord<byte[], byte[]> letter = letterOf(largestSendable(headers), headers);

    assertThat(letter.headers().lastHeader(DeadLetters.HEADER_OMITTED)).isNotNull();
    assertThat(sizeOf(letter)).isLessThan(MAX_REQUEST);
  }

  @Test
  void aSmallPoisonIsCopiedWhole_withItsHeaders() {
    Header[] headers = {new RecordHeader("trace-id", "t1".getBytes())};

    ProducerRecord<byte[], byte[]> letter = letterOf(new byte[] {1, 2, 3}, headers);

    assertThat(letter.value()).containsExactly(1, 2, 3);
    assertThat(letter.headers().lastHeader("trace-id").value()).isEqualTo("t1".getBytes());
    assertThat(letter.headers().lastHeader(DeadLetters.HEADER_OMITTED)).isNull();
  }

  /** The largest value a producer still sends with {@code KEY} and {@code headers}. */
  private static byte[] largestSendable(Header[] headers) {
    int value = MAX_REQUEST - estimate(KEY, new byte[0], headers);
    while (estimate(KEY, new byte[value], headers) > MAX_REQUEST) {
      value--;
    }
    assertThat(value).as("the poison itself is sendable").isPositive();
    return new byte[value];
  }

  private static ProducerRecord<byte[], byte[]> letterOf(byte[] value, Header[] headers) {
    ConsumerRecord<byte[], byte[]> poison =
        new ConsumerRecord<>(
            "v2p.events",
            3,
            42,
            1_700_000_000_000L,
            TimestampType.LOG_APPEND_TIME,
            KEY.length,
            value.length,
            KEY,
            value,
            new RecordHeaders(headers),
            Optional.empty());
    return DeadLetters.of(
        poison, "v2p.events.dlq", EventAdmission.Reason.CORRUPT, "not Avro", "projector-1", false);
  }

  /** What the producer measures against {@code max.request.size}. */
  private static int sizeOf(ProducerRecord<byte[], byte[]> letter) {
    return estimate(letter.key(), letter.value(), letter.headers().toArray());
  }

  private static int estimate(byte[] key, byte[] value, Header[] headers) {
    return AbstractRecords.estimateSizeInBytesUpperBound(
        RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE, key, value, headers);
  }
}
