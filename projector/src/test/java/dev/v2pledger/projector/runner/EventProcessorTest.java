package dev.v2pledger.projector.runner;

import static dev.v2pledger.projector.runner.Events.A;
import static dev.v2pledger.projector.runner.Events.B;
import static dev.v2pledger.projector.runner.Events.attached;
import static dev.v2pledger.projector.runner.Events.placed;
import static dev.v2pledger.projector.runner.Events.record;
import static dev.v2pledger.projector.runner.Events.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.state.InstanceStateCodec;
import dev.v2pledger.projector.metrics.ProjectorMetrics;
import dev.v2pledger.projector.topics.ProjectorTopics;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.codec.SchemaSource;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.MappingState;
import dev.v2pledger.schema.domain.ProjectedMapping;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventProcessorTest {
  private final ProjectorMetrics metrics = new ProjectorMetrics(new SimpleMeterRegistry(), "t");
  private final EventProcessor processor =
      new EventProcessor(
          ProjectorTopics.DEFAULT, "unit-1", metrics, new Interner(), SchemaSource.none());
  private final StateStore store = new StateStore();
  private final Retirements retirements = new Retirements(Duration.ZERO);

  @BeforeEach
  void restored() {
    store.load(0, new HashMap<>());
    store.load(1, new HashMap<>());
  }

  @Test
  void givenALocatedInstance_whenItsNicIsAttached_thenOneSetRecordCitesTheEvent() {
    processor.process(record(0, 7, placed(A, 1)), store, retirements);

    List<ProducerRecord<byte[], byte[]>> out =
        processor.process(record(0, 8, attached(A, "172.30.0.5", 3)), store, retirements);

    assertThat(out)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.topic()).isEqualTo(Topics.MAPPINGS);
              assertThat(r.partition()).as("partitioned by key").isNull();
              assertThat(string(r.key())).isEqualTo("7777/172.30.0.5/3");
              assertThat(header(r, Topics.HEADER_SCHEMA))
                  .isEqualTo("dev.v2pledger.schema.avro.V2PMapping");
              ProjectedMapping mapping = new MappingCodec().decode(r.value(), RecordOrigin.UNKNOWN);
              assertThat(mapping.mapping().state()).isEqualTo(MappingState.SET);
              assertThat(mapping.mapping().target().sledId()).isEqualTo(Events.SLED);
              assertThat(mapping.cause())
                  .isEqualTo(new EventPosition(0, 8, Instant.ofEpochMilli(Events.TIMESTAMP + 8)));
            });
    assertThat(store.changed()).singleElement().satisfies(c -> assertThat(c.partition()).isZero());
    assertThat(metrics.foldedCount()).isEqualTo(2);
  }

  @Test
  void anIgnoredEventWritesNothingAndChangesNoState() {
    processor.process(record(1, 0, attached(A, "172.30.0.5", 3)), store, retirements);
    store.committed();

    List<ProducerRecord<byte[], byte[]>> out =
        processor.process(record(1, 1, attached(A, "172.30.0.5", 3)), store, retirements);

    assertThat(out).isEmpty();
    assertThat(store.changed()).isEmpty();
    assertThat(metrics.count("ignored", "duplicate")).isEqualTo(1);
  }

  @Test
  void theChangelogRecordGoesToTheEventsPartitionNumberKeyedByInstance() {
    processor.process(record(1, 0, attached(B, "10.0.0.1", 1)), store, retirements);
    StateStore.Changed changed = store.changed().get(0);
    InstanceState state = changed.state();

    ProducerRecord<byte[], byte[]> changelog = processor.stateRecord(changed);

    assertThat(changelog.topic()).isEqualTo(Topics.INSTANCE_STATE);
    assertThat(changelog.partition()).isEqualTo(1);
    assertThat(string(changelog.key())).isEqualTo(B.toString());
    assertThat(new InstanceStateCodec().decode(changelog.value(), RecordOrigin.UNKNOWN))
        .isEqualTo(state);
  }

  @Test
  void garbageIsDeadLetteredWithItsBytesHeadersAndError() {
    ConsumerRecord<byte[], byte[]> garbage = record(0, 42, utf8(A.toString()), utf8("garbage"));
    garbage.headers().add("trace-id", utf8("t1"));

    ProducerRecord<byte[], byte[]> letter = processor.process(garbage, store, retirements).get(0);

    assertThat(letter.topic()).isEqualTo(Topics.EVENTS_DLQ);
    assertThat(letter.key()).isEqualTo(garbage.key());
    assertThat(letter.value()).isEqualTo(garbage.value());
    assertThat(header(letter, "trace-id")).isEqualTo("t1");
    assertThat(header(letter, Topics.HEADER_SCHEMA)).as("original headers kept").isNotNull();
    assertThat(header(letter, DeadLetters.HEADER_REASON)).isEqualTo("CORRUPT");
    assertThat(header(letter, DeadLetters.HEADER_ERROR))
        .isEqualTo("corrupt record: not Avro single-object encoding (no C3 01 marker)");
    assertThat(header(letter, DeadLetters.HEADER_TOPIC)).isEqualTo(Topics.EVENTS);
    assertThat(header(letter, DeadLetters.HEADER_PARTITION)).isEqualTo("0");
    assertThat(header(letter, DeadLetters.HEADER_OFFSET)).isEqualTo("42");
    assertThat(header(letter, DeadLetters.HEADER_TIMESTAMP))
        .isEqualTo(Long.toString(Events.TIMESTAMP + 42));
    assertThat(header(letter, DeadLetters.HEADER_PROJECTOR)).isEqualTo("unit-1");
    assertThat(store.changed()).isEmpty();
    assertThat(metrics.count("dlq", "CORRUPT")).isEqualTo(1);
    assertThat(metrics.foldedCount()).isZero();
  }

  @Test
  void anEventUnderAnotherInstancesKeyIsAKeyMismatch() {
    byte[] value = new EventCodec().encode(placed(B, 1));

    ProducerRecord<byte[], byte[]> letter =
        processor.process(record(0, 1, utf8(A.toString()), value), store, retirements).get(0);
    ProducerRecord<byte[], byte[]> keyless =
        processor.process(record(0, 2, null, value), store, retirements).get(0);
    ProducerRecord<byte[], byte[]> upperCase =
        processor
            .process(
                record(0, 3, utf8(B.toString().toUpperCase(Locale.ROOT)), value),
                store,
                retirements)
            .get(0);

    assertThat(header(letter, DeadLetters.HEADER_REASON)).isEqualTo("KEY_MISMATCH");
    assertThat(header(letter, DeadLetters.HEADER_ERROR))
        .isEqualTo("record key '" + A + "' is not the event's instance id " + B);
    assertThat(header(keyless, DeadLetters.HEADER_ERROR))
        .isEqualTo("the record has no key is not the event's instance id " + B);
    assertThat(header(upperCase, DeadLetters.HEADER_REASON))
        .as("keys are lowercase text: another case may hash to another partition")
        .isEqualTo("KEY_MISMATCH");
    assertThat(store.changed()).isEmpty();
  }

  @Test
  void aValueThatBreaksARuleIsInvalidAndAnOtherTypeIsAnUnknownSchema() {
    byte[] mappingBytes =
        new MappingCodec()
            .encode(
                new ProjectedMapping(
                    dev.v2pledger.schema.domain.V2PMapping.cleared(
                        MappingKey.parse("7777/10.0.0.1/1"), A, Events.nic(A), 1),
                    new EventPosition(0, 0, Instant.EPOCH)));

    ProducerRecord<byte[], byte[]> letter =
        processor
            .process(record(0, 5, utf8(A.toString()), mappingBytes), store, retirements)
            .get(0);

    assertThat(header(letter, DeadLetters.HEADER_REASON)).isEqualTo("UNKNOWN_SCHEMA");
    assertThat(header(letter, DeadLetters.HEADER_ERROR)).contains("fingerprint");
  }

  @Test
  void errorsAreOneLineAndBounded() {
    assertThat(DeadLetters.oneLine("a\n  b\r\nc")).isEqualTo("a; b; c");
    assertThat(DeadLetters.oneLine("x".repeat(5000))).hasSize(DeadLetters.MAX_ERROR_CHARS + 3);
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : string(header.value());
  }

  private static String string(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
