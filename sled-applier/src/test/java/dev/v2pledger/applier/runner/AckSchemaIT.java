package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.testing.MappingsTopic;
import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.avro.ApplierAck;
import dev.v2pledger.schema.domain.Vni;
import dev.v2pledger.schema.registry.LogSchemas;
import dev.v2pledger.schema.testing.NoSuchPartition;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/**
 * The ack schema's registration in {@code v2p.schemas} (each test its own broker, whose registry
 * does not have it yet, or is not there).
 */
class AckSchemaIT {
  private static final Schema ACK = ApplierAck.getClassSchema();

  /**
   * At its first start the applier registers the ack schema before its first ack; the write waits
   * up to 30 s for a broker that does not take it (here its record goes to a partition the topic
   * does not have, as to one whose leader is gone: it waits in the producer until its delivery
   * timeout, 20 s). A close ends it at once: it ended the registration's read of the topic, not its
   * write, and the close waited for the write.
   */
  @Test
  void closeEndsTheRegistrationsWriteAtOnce() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
      MappingsTopic.create(broker);
      broker.createTopics(TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));
      Map<String, Object> kafka = NoSuchPartition.stalling(broker.clientConfig());
      SledApplier applier =
          SledApplier.start(
              ApplierConfig.of(U.id(), kafka), UpgradesOnKafka.device(), new SimpleMeterRegistry());
      assertThat(NoSuchPartition.asked(30)) // its first write
          .as("the registration's write began")
          .isTrue();

      long closing = System.nanoTime();
      applier.close();

      assertThat(Duration.ofNanos(System.nanoTime() - closing))
          .as("ended by the close, not by the write's own 20 s")
          .isLessThan(Duration.ofSeconds(10));
      assertThat(applier.awaitTermination(Duration.ZERO)).isTrue();
      assertThat(applier.readinessProblem()).isEqualTo("stopped");
      assertThat(applier.failure()).isNull();
    }
  }

  /**
   * A cluster without {@code v2p.schemas} at the applier's start: acks go on (readers of this
   * build's schema need no registry), and once the topic is made, acks sent later register the ack
   * schema there. It was tried once, at start, and never again.
   */
  @Test
  void aRegistrationRefusedAtStart_isTriedAgainBeforeLaterAcks_onceTheTopicIsThere()
      throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
      MappingsTopic.create(broker);
      Vni vni = new Vni(3501);
      MappingsTopic.produce(broker, List.of(set(vip(vni, "10.35.0.1"), 1, 1, S)));
      try (SledApplier applier =
          SledApplier.start(
              ApplierConfig.of(U.id(), broker.clientConfig()),
              UpgradesOnKafka.device(),
              new SimpleMeterRegistry())) {
        Map<Integer, Long> ends = MappingsTopic.endOffsets(broker);
        await() // acked without the registry
            .atMost(UpgradesOnKafka.DEADLINE)
            .until(() -> MappingsTopic.ackedBy(broker, U.id()).equals(ends));

        broker.createTopics(
            TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));

        AtomicInteger records = new AtomicInteger(1);
        await() // tried again once 10 s have passed since it was refused, before an ack
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> {
                  String ip = "10.35.0." + (records.incrementAndGet() % 250 + 1);
                  MappingsTopic.produce(broker, List.of(set(vip(vni, ip), 1, 1, S)));
                  return registered(broker);
                });
        Map<Integer, Long> later = MappingsTopic.endOffsets(broker);
        await()
            .atMost(UpgradesOnKafka.DEADLINE)
            .until(() -> MappingsTopic.ackedBy(broker, U.id()).equals(later));
        assertThat(applier.failure()).isNull();
      }
    }
  }

  private static boolean registered(EmbeddedKafkaBroker broker) {
    try (LogSchemas schemas = LogSchemas.open(broker.clientConfig())) {
      return ACK.equals(schemas.find(SchemaNormalization.parsingFingerprint64(ACK)));
    }
  }
}
