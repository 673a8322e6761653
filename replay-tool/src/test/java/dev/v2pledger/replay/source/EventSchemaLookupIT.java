package dev.v2pledger.replay.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.schema.Partitioning;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.codec.SchemaSource;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An event this build decodes, then one of a schema it does not know, in one partition of {@code
 * v2p.events} on a real broker. When {@code v2p.schemas} does not answer in time, or refuses this
 * reader, the event reader of the replay commands stops at the second record with one line naming
 * it, as {@code AckIndex} does for acks: it used to say "cannot read v2p.events on ...:
 * TimeoutException" for a registry that did not answer, and named no record for one that refused.
 */
@WithKafka
class EventSchemaLookupIT {
  static final InstanceId INSTANCE = InstanceId.parse("8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6");
  static KafkaAccess kafka;
  static String unknownAt;

  /** What {@link #write} put in {@code v2p.events}: the unknown record at offset 1 of partition. */
  record Written(KafkaAccess kafka, int partition, byte[] key, byte[] unknown) {
    String unknownAt() {
      return Topics.EVENTS + "-" + partition + "@1";
    }
  }

  /**
   * Creates the topics and writes {@link #INSTANCE}'s event this build decodes, then one of a
   * schema it does not know, to its partition of {@code v2p.events}.
   */
  static Written write(KafkaCluster cluster) throws Exception {
    cluster.createTopics(
        TopicSpec.of(Topics.EVENTS, 3),
        TopicSpec.of(Topics.EVENTS_DLQ, 1),
        TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));
    byte[] key = INSTANCE.toString().getBytes(StandardCharsets.UTF_8);
    int partition = Partitioning.partitionOf(key, 3);
    byte[] known =
        new EventCodec()
            .encode(
                InstanceEvent.of(
                    INSTANCE,
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
    }
    return new Written(
        new KafkaAccess(cluster.clientConfig(), Duration.ofSeconds(30)), partition, key, unknown);
  }

  @BeforeAll
  static void aKnownEventThenAnUnknownSchema(KafkaCluster cluster) throws Exception {
    Written written = write(cluster);
    kafka = written.kafka();
    unknownAt = written.unknownAt();
  }

  /**
   * Reads every event with {@code schemas}: the read stops at the unknown record, with the event
   * before it read and nothing counted undecodable, throwing the exception {@code line} checks.
   */
  private static void assertTheReadStopsAtTheUnknownRecord(
      SchemaSource schemas, Consumer<UsageException> line) {
    List<ReplayEvent> folded = new ArrayList<>();
    try (KafkaEventSource events = new KafkaEventSource(kafka, StopPoint.NONE, schemas)) {
      assertThatThrownBy(() -> events.forEach(folded::add))
          .isInstanceOfSatisfying(UsageException.class, line);
      assertThat(folded).hasSize(1); // the event before it
      assertThat(events.undecodable()).isZero();
    }
  }

  /** v2p.schemas on a port where nothing listens: its read times out (10 s), a retriable error. */
  @Test
  void aRegistryThatDoesNotAnswerInTime_stopsTheRead_exit2_withOneLineNamingTheRecord() {
    try (LogSchemas unreachable = Registries.unreachable()) {
      assertTheReadStopsAtTheUnknownRecord(
          unreachable,
          e -> {
            assertThat(e.exitCode()).isEqualTo(Cli.EXIT_USAGE);
            assertThat(e.getMessage())
                .startsWith(unknownAt + ": unknown schema")
                .contains(Topics.SCHEMAS + " cannot be read: ")
                .endsWith(
                    ": "
                        + Topics.SCHEMAS
                        + " did not answer in time (not counted as refused: run again once "
                        + Topics.SCHEMAS
                        + " answers)")
                .doesNotContain("cannot read " + Topics.EVENTS)
                .doesNotContain("\n");
          });
    }
  }

  /** What {@link LogSchemas} throws for a principal without Read on v2p.schemas. */
  @Test
  void aRegistryThatRefusesThisReader_stopsTheRead_exit1_withOneLineNamingTheRecord() {
    SchemaSource refusing = Registries.refusing();
    assertTheReadStopsAtTheUnknownRecord(
        refusing,
        e -> {
          assertThat(e.exitCode()).isEqualTo(Cli.EXIT_FAILURE);
          assertThat(e.getMessage())
              .startsWith(Topics.SCHEMAS + " refused this reader")
              .contains("the projector may have folded it (" + unknownAt + ": unknown schema")
              .endsWith(
                  "give this principal Read on "
                      + Topics.SCHEMAS
                      + " (docs/SECURITY.md)"
                      + " and run again")
              .doesNotContain("\n");
        });
  }
}
