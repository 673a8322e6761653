package dev.v2pledger.devstack.stack;

import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.avro.ApplierAck;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.registry.LogSchemas;
import dev.v2pledger.schema.testing.NextRelease;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * devstack driving remote appliers of a newer release (--sled-endpoints, in a rolling upgrade):
 * their acks are written with a schema this build lacks, registered in {@code v2p.schemas}. The
 * watch must read them, or the run would wait for a convergence it can never see.
 */
@WithKafka
class AckWatchIT {
  private static final SledId SLED = SledId.parse("51ed0000-0000-4000-8000-0000000000a1");

  @Test
  void anAckOfANewerReleasesSchema_isReadThroughTheRegistry(KafkaCluster kafka) throws Exception {
    kafka.createTopics(
        TopicSpec.of(Topics.ACKS, 1),
        TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));
    Schema next = NextRelease.of(ApplierAck.getClassSchema(), "ackedBy");
    try (LogSchemas schemas = LogSchemas.open(kafka.clientConfig())) {
      schemas.register(List.of(next));
    }
    ApplierAck ack = new ApplierAck(SLED.toString(), 3, 42L, Instant.EPOCH);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            kafka.clientConfig(), new StringSerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.ACKS, 0, SLED.toString(), NextRelease.encode(next, ack, "sled-u")))
          .get(10, TimeUnit.SECONDS);
    }

    try (AckWatch watch = new AckWatch(kafka.clientConfig(), 1)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> watch.watermark(SLED, 3) == 42L);
    }
  }
}
