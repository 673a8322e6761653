package dev.v2pledger.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Records that do not decode, as appliers hold them since DESIGN "Superseded": one that a later
 * tombstone (or record) under its Kafka key in its partition replaces is no longer held, so it is
 * not counted; one under a Kafka key the projector does not write, or not replaced, is.
 */
@WithKafka
class ProjectedTopicSupersededIT {
  private static final byte[] UNDECODABLE = {(byte) 0xC3, 1, 2};

  @Test
  void anUndecodableRecordReplacedInItsPartition_isNotCountedAsHeld(KafkaCluster cluster)
      throws Exception {
    cluster.createTopics(
        TopicSpec.of(Topics.MAPPINGS, 1).withConfig("cleanup.policy", "compact"),
        TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            cluster.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      send(producer, "7777/172.30.0.9/1", UNDECODABLE); // replaced below: not held
      ProducerRecord<byte[], byte[]> tombstone = record("7777/172.30.0.9/1", null);
      tombstone.headers().add(Topics.HEADER_TOMBSTONE_UP_TO, "1".getBytes(StandardCharsets.UTF_8));
      producer.send(tombstone).get(30, TimeUnit.SECONDS);
      send(producer, "7777/172.30.0.10/1", UNDECODABLE); // its key's last record: held
      send(producer, "not a key", UNDECODABLE); // never replaced: held
    }
    KafkaAccess kafka = new KafkaAccess(cluster.clientConfig(), Duration.ofSeconds(20));

    ProjectedTopic topic = ProjectedTopic.read(kafka, key -> false, false);

    assertThat(topic.undecodable()).isEqualTo(2);
  }

  private static ProducerRecord<byte[], byte[]> record(String key, byte[] value) {
    return new ProducerRecord<>(Topics.MAPPINGS, 0, key.getBytes(StandardCharsets.UTF_8), value);
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String key, byte[] value)
      throws Exception {
    producer.send(record(key, value)).get(30, TimeUnit.SECONDS);
  }
}
