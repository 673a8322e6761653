package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** What the applier makes of each polled record before anything is applied. */
class RecordDecoderTest {
  private final RecordDecoder decoder = new RecordDecoder(V2PSerde.mappings());

  private static ConsumerRecord<byte[], byte[]> record(String key, V2PMapping mapping) {
    RecordHeaders headers = new RecordHeaders();
    V2PSerde.mappings().addHeaders(headers);
    byte[] value =
        new MappingCodec()
            .encode(new ProjectedMapping(mapping, new EventPosition(0, 7, Instant.EPOCH)));
    return new ConsumerRecord<>(
        Topics.MAPPINGS,
        0,
        42,
        0L,
        TimestampType.CREATE_TIME,
        key.length(),
        value.length,
        key.getBytes(StandardCharsets.UTF_8),
        value,
        headers,
        Optional.empty());
  }

  private RecordDecoder.Decoded decode(ConsumerRecord<byte[], byte[]> record) {
    return decoder
        .decode(
            new ConsumerRecords<>(
                Map.of(new TopicPartition(Topics.MAPPINGS, 0), List.of(record)), Map.of()))
        .get(0);
  }

  @Test
  void aRecordUnderItsOwnKeyIsDecoded() {
    V2PMapping mapping = set(vip("10.9.0.5"), 1, 3, S);

    RecordDecoder.Decoded decoded = decode(record(mapping.key().toString(), mapping));

    assertThat(decoded.error()).isNull();
    assertThat(decoded.mapping()).isEqualTo(mapping);
  }

  /**
   * Keys are compared as keys, as when a held record decodes late: another spelling of the same key
   * is the key; a Kafka key that does not parse is no record's (DESIGN "Fail safe"): compaction
   * would never replace that record by its key's later records, so applied it would come back on
   * every start.
   */
  @Test
  void keysAreComparedParsed_andAKafkaKeyThatDoesNotParseIsRefused() {
    V2PMapping v6 = set(vip("fd00::1"), 1, 3, S);

    assertThat(decode(record(v6.key().vip().vni() + "/fd00:0:0::1/1", v6)).error()).isNull();
    RecordDecoder.Decoded junk = decode(record("junk", v6));
    assertThat(junk.mapping()).isNull();
    assertThat(junk.error())
        .isNotNull()
        .extracting(RecordDecodeException::reason)
        .isEqualTo(RecordDecodeException.Reason.INVALID_VALUE);
    assertThat(junk.error().getMessage())
        .contains("its Kafka key is absent or not vni/ip/epoch; its mapping's key is " + v6.key());
  }

  /**
   * No projector writes a record under another key than its mapping's: another writer's record,
   * held like one that does not decode, so that it never clears the key it names.
   */
  @Test
  void aRecordWhoseValueNamesAnotherKey_isRefused_notApplied() {
    V2PMapping clear = cleared(vip("10.9.0.6"), 1, 4);

    RecordDecoder.Decoded decoded = decode(record("7777/10.9.0.5/1", clear));

    assertThat(decoded.mapping()).isNull();
    assertThat(decoded.error())
        .isNotNull()
        .extracting(RecordDecodeException::reason)
        .isEqualTo(RecordDecodeException.Reason.INVALID_VALUE);
    assertThat(decoded.error().getMessage())
        .contains("its Kafka key 7777/10.9.0.5/1 is not its mapping's key " + clear.key());
    assertThat(decoded.value()).as("kept, to decode again").isNotNull();
  }
}
