package dev.v2pledger.projector.runner;

import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.EventAdmission;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;

/**
 * Poison events as they go to the dead-letter topic: the original key, value and headers, plus
 * headers that name the error and where the event was. Written in the same transaction as the
 * offsets that skip it, so a poison event is neither lost nor dead-lettered twice, unless the
 * group's offsets are lost and the partition is folded again from its beginning: then it is
 * lettered again, under the same position headers (DESIGN "Partitions and topology").
 */
public final class DeadLetters {
  /** Why the event was refused: one of {@link EventAdmission.Reason}. */
  public static final String HEADER_REASON = Topics.HEADER_DLQ_REASON;

  /** The error, one line. */
  public static final String HEADER_ERROR = "v2p.dlq.error";

  /** Topic, partition and offset of the original record. */
  public static final String HEADER_TOPIC = Topics.HEADER_DLQ_TOPIC;

  public static final String HEADER_PARTITION = Topics.HEADER_DLQ_PARTITION;
  public static final String HEADER_OFFSET = Topics.HEADER_DLQ_OFFSET;

  /** The original record's timestamp (epoch milliseconds; log-append time on v2p.events). */
  public static final String HEADER_TIMESTAMP = Topics.HEADER_DLQ_TIMESTAMP;

  /** The projector instance that refused it. */
  public static final String HEADER_PROJECTOR = "v2p.dlq.projector";

  /** For {@code MISROUTED}: the partition its key belongs in (murmur2, as Java's default). */
  public static final String HEADER_EXPECTED_PARTITION = "v2p.dlq.expected_partition";

  /**
   * Set when the poison was too large to copy whole: what was left out and its size. The original
   * stays in {@code v2p.events} (kept forever) at the position the other headers name.
   */
  public static final String HEADER_OMITTED = "v2p.dlq.omitted";

  /** Longest error text kept in {@link #HEADER_ERROR}. */
  static final int MAX_ERROR_CHARS = 1000;

  /**
   * The most of the poison's key, value and headers a dead letter copies: half of Kafka's default
   * {@code max.request.size} (1 MiB), so that a letter with our headers always fits. A larger
   * letter would be refused at every send, and the runner would retry the same event forever.
   */
  static final int MAX_COPIED_BYTES = 512 * 1024;

  /** A key longer than this is not copied into a letter whose original is too large. */
  private static final int MAX_KEPT_KEY_BYTES = 1024;

  private DeadLetters() {}

  /**
   * The dead letter of {@code poison}, bound for {@code dlqTopic}; {@code refusedWhole}: the
   * dead-letter topic refused this poison's letter copied whole (RecordTooLargeException: a topic
   * or broker limit below Kafka's default), so this one leaves out what a too-large letter leaves
   * out.
   */
  static ProducerRecord<byte[], byte[]> of(
      ConsumerRecord<byte[], byte[]> poison,
      String dlqTopic,
      EventAdmission.Reason reason,
      String error,
      String projector,
      boolean refusedWhole) {
    RecordHeaders headers = new RecordHeaders();
    int size = size(poison);
    boolean whole = size <= MAX_COPIED_BYTES && !refusedWhole;
    byte[] key = poison.key();
    if (whole) {
      for (Header header : poison.headers()) {
        headers.add(header);
      }
    } else {
      boolean keepKey = key == null || key.length <= MAX_KEPT_KEY_BYTES;
      headers.add(
          HEADER_OMITTED,
          utf8(
              (keepKey ? "value and headers" : "key, value and headers")
                  + " ("
                  + size
                  + " bytes in all, "
                  + (refusedWhole
                      ? "refused whole by the dead-letter topic as too large"
                      : "more than " + MAX_COPIED_BYTES)
                  + ")"));
      key = keepKey ? key : null;
    }
    headers.add(HEADER_REASON, utf8(reason.name()));
    headers.add(HEADER_ERROR, utf8(oneLine(error)));
    headers.add(HEADER_TOPIC, utf8(poison.topic()));
    headers.add(HEADER_PARTITION, utf8(Integer.toString(poison.partition())));
    headers.add(HEADER_OFFSET, utf8(Long.toString(poison.offset())));
    headers.add(HEADER_TIMESTAMP, utf8(Long.toString(poison.timestamp())));
    headers.add(HEADER_PROJECTOR, utf8(projector));
    return new ProducerRecord<>(dlqTopic, null, key, whole ? poison.value() : null, headers);
  }

  /**
   * The bytes a record's key, value and headers take in a batch, at most: each header's key in
   * UTF-8 (a char may take 3 bytes) and value, and the two lengths before them (varints of up to 5
   * bytes each), so that many small headers count for what they cost.
   */
  static int size(ConsumerRecord<byte[], byte[]> record) {
    long size = length(record.key()) + length(record.value());
    for (Header header : record.headers()) {
      size += HEADER_LENGTHS + utf8(header.key()).length + length(header.value());
    }
    return (int) Math.min(size, Integer.MAX_VALUE);
  }

  /** A header's key length and value length, as varints of at most 5 bytes each. */
  private static final int HEADER_LENGTHS = 10;

  private static int length(byte @Nullable [] bytes) {
    return bytes == null ? 0 : bytes.length;
  }

  /**
   * Where a letter's poison sat in its topic ({@code partition@offset}, from the letter's headers),
   * as {@link #position(ConsumerRecord)} says it of the poison; null if not a letter.
   */
  static @Nullable String positionOf(ProducerRecord<byte[], byte[]> letter) {
    Header partition = letter.headers().lastHeader(HEADER_PARTITION);
    Header offset = letter.headers().lastHeader(HEADER_OFFSET);
    if (partition == null || offset == null) {
      return null;
    }
    return new String(partition.value(), StandardCharsets.UTF_8)
        + "@"
        + new String(offset.value(), StandardCharsets.UTF_8);
  }

  static String position(ConsumerRecord<byte[], byte[]> poison) {
    return poison.partition() + "@" + poison.offset();
  }

  static String oneLine(String text) {
    String line = Cli.oneLine(text);
    return line.length() <= MAX_ERROR_CHARS ? line : line.substring(0, MAX_ERROR_CHARS) + "...";
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
