package dev.v2pledger.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.AckCodec;
import dev.v2pledger.schema.codec.SchemaSource;
import dev.v2pledger.schema.domain.ApplierAck;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.registry.LogSchemas;
import dev.v2pledger.schema.testing.Registries;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One sled's ack is written with a schema this build does not know (a newer applier's), beside
 * another sled's ack this build decodes. Only a registry that answers "not registered" makes the
 * ack undecodable; a registry that does not answer in time, or refuses this reader, stops the read
 * with one line, as {@link ProjectedTopic} and the event readers do: its sled did apply what it
 * acknowledges, and {@code history}, {@code stats} and devstack showed it as not having applied.
 */
@WithKafka
class AckIndexIT {
  static final SledId OLD = SledId.parse("5eed0000-0000-4000-8000-00000000000a");
  static final SledId NEW = SledId.parse("5eed0000-0000-4000-8000-00000000000b");
  static final Instant AT = Instant.parse("2026-11-23T03:10:00Z");
  static KafkaAccess kafka;
  static Map<String, Object> clientConfig;

  @BeforeAll
  static void twoSledsAck(KafkaCluster cluster) throws Exception {
    cluster.createTopics(
        TopicSpec.of(Topics.ACKS, 1),
        TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));
    clientConfig = cluster.clientConfig();
    kafka = new KafkaAccess(clientConfig, Duration.ofSeconds(20));
    AckCodec codec = new AckCodec();
    byte[] newer = codec.encode(new ApplierAck(NEW, 0, 7, AT));
    newer[2] ^= 0x5a; // another writer schema's fingerprint
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(clientConfig, new ByteArraySerializer(), new ByteArraySerializer())) {
      send(producer, OLD, codec.encode(new ApplierAck(OLD, 0, 7, AT)));
      send(producer, NEW, newer);
    }
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, SledId sled, byte[] value)
      throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                Topics.ACKS, 0, sled.toString().getBytes(StandardCharsets.UTF_8), value))
        .get(30, TimeUnit.SECONDS);
  }

  @Test
  void anAckOfASchemaRegisteredNowhere_isUndecodable_andTheOtherSledsAckCovers() {
    try (LogSchemas schemas = LogSchemas.open(clientConfig)) {
      AckIndex index = AckIndex.read(kafka, schemas);

      assertThat(index.undecodable()).isEqualTo(1);
      assertThat(index.firstUndecodable())
          .startsWith(Topics.ACKS + "-0@1: unknown schema")
          .contains("nor is it registered in " + Topics.SCHEMAS);
      assertThat(index.sleds()).containsExactly(OLD);
      assertThat(index.covered(OLD, 0, 6)).isEqualTo(AT);
    }
  }

  /**
   * v2p.schemas on a cluster that does not answer: its read times out (10 s), a retriable error.
   */
  @Test
  void aRegistryThatDoesNotAnswerInTime_stopsTheRead_withOneLine_notAnUndecodableAck() {
    try (LogSchemas unreachable = Registries.unreachable()) {
      assertThatThrownBy(() -> AckIndex.read(kafka, unreachable))
          .isInstanceOfSatisfying(
              UsageException.class,
              e -> {
                assertThat(e.exitCode()).isEqualTo(Cli.EXIT_USAGE);
                assertThat(e.getMessage())
                    .startsWith(Topics.ACKS + "-0@1: unknown schema")
                    .contains(Topics.SCHEMAS + " cannot be read: ")
                    .endsWith(
                        "(not counted as undecodable: run again once "
                            + Topics.SCHEMAS
                            + " answers)")
                    .doesNotContain("\n");
              });
    }
  }

  /** What {@link LogSchemas} throws for a principal without Read on v2p.schemas. */
  @Test
  void aRegistryThatRefusesThisReader_stopsTheRead_withOneLine_notAnUndecodableAck() {
    SchemaSource refusing = Registries.refusing();

    assertThatThrownBy(() -> AckIndex.read(kafka, refusing))
        .isInstanceOfSatisfying(
            UsageException.class,
            e -> {
              assertThat(e.exitCode()).isEqualTo(Cli.EXIT_FAILURE);
              assertThat(e.getMessage())
                  .startsWith(Topics.SCHEMAS + " refused this reader")
                  .contains("its sled applied the records it acknowledges")
                  .contains(Topics.ACKS + "-0@1")
                  .doesNotContain("\n");
            });
  }
}
