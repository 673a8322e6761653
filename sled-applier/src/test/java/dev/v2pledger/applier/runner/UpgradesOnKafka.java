package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.U;

import dev.v2pledger.applier.testing.MutableClock;
import dev.v2pledger.applier.testing.Records;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.registry.LogSchemas;
import dev.v2pledger.schema.testing.NextRelease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;

/**
 * Appliers on a broker that also has {@code v2p.schemas}, and records written to {@code
 * v2p.mappings} as raw bytes: by this release, by a next one, or by hand.
 */
abstract class UpgradesOnKafka extends AppliersOnKafka {
  static final Duration DEADLINE = Duration.ofSeconds(40);
  static final Schema V2P_MAPPING = dev.v2pledger.schema.avro.V2PMapping.getClassSchema();

  UpgradesOnKafka(KafkaCluster kafka) {
    super(kafka);
  }

  @BeforeAll
  static void schemasTopic(KafkaCluster kafka) {
    kafka.createTopics(TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));
  }

  SledApplier start(SimulatedXde device) {
    return start(U.id(), device, new SimpleMeterRegistry(), Duration.ofMillis(300));
  }

  static SimulatedXde device() {
    return new SimulatedXde(U.underlay(), MutableClock.at("2025-01-01T00:00:00Z"));
  }

  /** Writes raw bytes for {@code record}'s key to one partition; returns the offset. */
  long write(int partition, V2PMapping record, byte[] value) throws Exception {
    return write(new ProducerRecord<>(Topics.MAPPINGS, partition, record.key().toString(), value));
  }

  long write(ProducerRecord<String, byte[]> record) throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            kafka.clientConfig(), new StringSerializer(), new ByteArraySerializer())) {
      RecordMetadata at = producer.send(record).get(10, TimeUnit.SECONDS);
      return at.offset();
    }
  }

  static byte[] current(V2PMapping record) {
    return new MappingCodec().encode(Records.projected(record));
  }

  /** {@code record} written by a next release that added {@code field} (each test its own). */
  static byte[] next(String field, V2PMapping record) {
    return NextRelease.encode(
        NextRelease.of(V2P_MAPPING, field), MappingCodec.toAvro(Records.projected(record)), "x");
  }

  static void register(KafkaCluster kafka, String field) {
    try (LogSchemas schemas = LogSchemas.open(kafka.clientConfig())) {
      schemas.register(List.of(NextRelease.of(V2P_MAPPING, field)));
    }
  }
}
