package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.testing.MutableClock;
import dev.v2pledger.applier.testing.Records;
import dev.v2pledger.applier.xde.sim.Mutation;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
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
    return write(kafka, partition, record, value);
  }

  long write(ProducerRecord<String, byte[]> record) throws Exception {
    return write(kafka, record);
  }

  /** As {@link #write(int, V2PMapping, byte[])}, to the cluster {@code kafka}. */
  static long write(KafkaCluster kafka, int partition, V2PMapping record, byte[] value)
      throws Exception {
    return write(
        kafka, new ProducerRecord<>(Topics.MAPPINGS, partition, record.key().toString(), value));
  }

  static long write(KafkaCluster kafka, ProducerRecord<String, byte[]> record) throws Exception {
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            kafka.clientConfig(), new StringSerializer(), new ByteArraySerializer())) {
      RecordMetadata at = producer.send(record).get(10, TimeUnit.SECONDS);
      return at.offset();
    }
  }

  /** Whether the device saw no clear since {@code mark}. */
  static boolean noClearSince(SimulatedXde device, int mark) {
    return device.mutationsSince(mark).stream().noneMatch(m -> m.op() == Mutation.Op.CLEAR);
  }

  /**
   * Once the record at {@code held} of partition 0 (of {@code future}, on T) decodes: it is set,
   * the clear of {@code cleared} withheld meanwhile is issued, the applier is ready, {@code kept}
   * (on S) and {@code later} (on T) stay, and acks pass the record.
   */
  static void assertResumes(
      SledApplier applier,
      SimulatedXde device,
      long held,
      Vip kept,
      Vip cleared,
      Vip later,
      Vip future) {
    await().atMost(DEADLINE).until(() -> entry(future, T).equals(device.table().get(future)));
    await().atMost(DEADLINE).until(() -> !device.table().containsKey(cleared));
    await().atMost(DEADLINE).until(applier::isReady);
    assertThat(device.table())
        .containsEntry(kept, entry(kept, S))
        .containsEntry(later, entry(later, T));
    await().atMost(DEADLINE).until(() -> applier.status().acked().getOrDefault(0, 0L) > held);
    assertThat(applier.failure()).isNull();
  }

  /**
   * The record at {@code held} of partition 0 holds the applier, and goes on holding it: a pass
   * withholds clears; over 5 s (it is decoded again every 2 s) it stays one hold, counted once, the
   * thread stays up, no clear is issued since {@code mark} ({@code stillSet} is kept, {@code
   * notSet}, the held record's, is not set), and no ack passes it.
   */
  static void assertHoldsOn(
      SledApplier applier,
      SimulatedXde device,
      SimpleMeterRegistry registry,
      int mark,
      Vip stillSet,
      Vip notSet,
      long held) {
    long passes = applier.status().passes();
    applier.requestReconcile();
    await().atMost(DEADLINE).until(() -> applier.status().passes() > passes + 1);
    assertThat(applier.lastPass().withheld()).isPositive();
    await()
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                registry.get("v2p.applier.records.undecodable").counter().count() == 1.0
                    && applier.livenessProblem() == null
                    && device.table().containsKey(stillSet)
                    && noClearSince(device, mark));
    assertThat(device.table()).doesNotContainKey(notSet);
    assertThat(applier.status().acked().getOrDefault(0, 0L)).isLessThanOrEqualTo(held);
    assertThat(registry.get("v2p.applier.ready").gauge().value())
        .as("the gauge says what /readyz says")
        .isZero();
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
