package dev.v2pledger.schema.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.testing.SampleEvents;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class V2PSerdeTest {
  private final V2PSerde<InstanceEvent> serde = V2PSerde.events();

  @Test
  void serializerWritesSchemaHeadersAndDeserializerReadsBack() {
    Serializer<InstanceEvent> serializer = serde.serializer();
    Deserializer<InstanceEvent> deserializer = serde.deserializer();
    RecordHeaders headers = new RecordHeaders();
    InstanceEvent event = SampleEvents.everyType().get(2);

    byte[] bytes = serializer.serialize(Topics.EVENTS, headers, event);

    assertThat(header(headers, Topics.HEADER_SCHEMA))
        .isEqualTo("dev.v2pledger.schema.avro.InstanceEvent");
    assertThat(header(headers, Topics.HEADER_FINGERPRINT)).matches("[0-9a-f]{16}");
    assertThat(header(headers, Topics.HEADER_CONTENT_TYPE)).isEqualTo(Topics.CONTENT_TYPE_AVRO);
    assertThat(deserializer.deserialize(Topics.EVENTS, headers, bytes)).isEqualTo(event);
    assertThat(deserializer.deserialize(Topics.EVENTS, bytes)).isEqualTo(event);
  }

  @Test
  void deserializerRefusesARecordWhoseHeaderNamesAnotherType() {
    RecordHeaders headers = new RecordHeaders();
    byte[] bytes = serde.serialize(Topics.EVENTS, headers, SampleEvents.everyType().get(0));
    headers.remove(Topics.HEADER_SCHEMA);
    headers.add(
        Topics.HEADER_SCHEMA,
        "dev.v2pledger.schema.avro.ApplierAck".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> serde.deserialize(Topics.EVENTS, headers, bytes))
        .isInstanceOf(RecordDecodeException.class)
        .hasMessage(
            "v2p.events: unknown schema: header v2p.schema says 'dev.v2pledger.schema.avro.ApplierAck',"
                + " expected dev.v2pledger.schema.avro.InstanceEvent");
  }

  @Test
  void nullStaysNull() {
    assertThat(serde.serialize(Topics.EVENTS, new RecordHeaders(), null)).isNull();
  }

  private static String header(RecordHeaders headers, String name) {
    return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
