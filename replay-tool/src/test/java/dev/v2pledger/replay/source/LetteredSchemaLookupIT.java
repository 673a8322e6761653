package dev.v2pledger.replay.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.schema.Partitioning;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.Vni;
import dev.v2pledger.schema.registry.LogSchemas;
import dev.v2pledger.schema.testing.Registries;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    cluster.createTopics(
        TopicSpec.of(Topics.EVENTS, 3),
        TopicSpec.of(Topics.EVENTS_DLQ, 1),
        TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));
    kafka = new KafkaAccess(cluster.clientConfig(), Duration.ofSeconds(30));
    InstanceId instance = EventSchemaLookupIT.INSTANCE;
    byte[] key = instance.toString().getBytes(StandardCharsets.UTF_8);
    int partition = Partitioning.partitionOf(key, 3);
    byte[] known =
        new EventCodec()
            .encode(
                InstanceEvent.of(
                    instance,
                    new EventPayload.NicAttached(
                        NicId.parse("11111111-2222-4333-8444-555555555555"),
                        new Vni(7777),
                        MacAddr.parse("a8:40:25:00:00:01"),
                        List.of(IpAddr.parse("172.30.0.1")),
                        1)));
    byte[] unknown = known.clone();
    unknown[2] ^= 0x5a; // a newer publisher's fingerprint, looked up in v2p.schemas
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            cluster.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      for (byte[] value : List.of(known, unknown)) {
        producer
            .send(new ProducerRecord<>(Topics.EVENTS, partition, key, value))
            .get(30, TimeUnit.SECONDS);
      }
      ProducerRecord<byte[], byte[]> letter =
          new ProducerRecord<>(Topics.EVENTS_DLQ, null, key, unknown);
      letter.headers().add(Topics.HEADER_DLQ_REASON, utf8("UNKNOWN_SCHEMA"));
      letter.headers().add(Topics.HEADER_DLQ_TOPIC, utf8(Topics.EVENTS));
      letter.headers().add(Topics.HEADER_DLQ_PARTITION, utf8(Integer.toString(partition)));
      letter.headers().add(Topics.HEADER_DLQ_OFFSET, utf8("1"));
      producer.send(letter).get(30, TimeUnit.SECONDS);
    }
    unknownAt = Topics.EVENTS + "-" + partition + "@1";
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
