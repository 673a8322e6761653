package dev.v2pledger.replay.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.registry.LogSchemas;
import dev.v2pledger.schema.testing.Registries;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * As {@link EventSchemaLookupIT}, but a committed letter of {@code v2p.events.dlq} names the event
 * of the unknown schema: the projector did not fold it, so whatever its lookup would answer it is
 * left out (refused if it does not decode, dead-lettered if it does), and a registry that does not
 * answer, or refuses this reader, changes nothing. The read stopped there (exit 2, exit 1: "the
 * projector may have folded it"), though the letter says it did not.
 */
@WithKafka
class LetteredSchemaLookupIT {
  static KafkaAccess kafka;
  static String unknownAt;

  @BeforeAll
  static void aKnownEventThenAnUnknownSchema_theLatterDeadLettered(KafkaCluster cluster)
      throws Exception {
    EventSchemaLookupIT.Written written = EventSchemaLookupIT.write(cluster);
    kafka = written.kafka();
    unknownAt = written.unknownAt();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            cluster.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      ProducerRecord<byte[], byte[]> letter =
          new ProducerRecord<>(Topics.EVENTS_DLQ, null, written.key(), written.unknown());
      letter.headers().add(Topics.HEADER_DLQ_REASON, utf8("UNKNOWN_SCHEMA"));
      letter.headers().add(Topics.HEADER_DLQ_TOPIC, utf8(Topics.EVENTS));
      letter
          .headers()
          .add(Topics.HEADER_DLQ_PARTITION, utf8(Integer.toString(written.partition())));
      letter.headers().add(Topics.HEADER_DLQ_OFFSET, utf8("1"));
      producer.send(letter).get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aRegistryThatDoesNotAnswerInTime_leavesTheLetteredEventOut() {
    List<ReplayEvent> folded = new ArrayList<>();
    try (LogSchemas unreachable = Registries.unreachable();
        KafkaEventSource events = new KafkaEventSource(kafka, StopPoint.NONE, unreachable)) {
      events.forEach(folded::add);

      assertThat(folded).hasSize(1);
      assertThat(events.deadLettered()).isEqualTo(Map.of("UNKNOWN_SCHEMA", 1L));
      assertThat(events.deadLetteredPositions()).containsExactly(unknownAt);
      assertThat(events.undecodable()).isZero();
    }
  }

  @Test
  void aRegistryThatRefusesThisReader_leavesTheLetteredEventOut() {
    List<ReplayEvent> folded = new ArrayList<>();
    try (KafkaEventSource events =
        new KafkaEventSource(kafka, StopPoint.NONE, Registries.refusing())) {
      events.forEach(folded::add);

      assertThat(folded).hasSize(1);
      assertThat(events.deadLettered()).isEqualTo(Map.of("UNKNOWN_SCHEMA", 1L));
      assertThat(events.deadLetteredPositions()).containsExactly(unknownAt);
      assertThat(events.undecodable()).isZero();
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
