package dev.v2pledger.devstack.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * What compaction keeps of {@code v2p.mappings}, as the run's report counts it: the last record of
 * each key in each partition (compaction is per partition, and a retired key's tombstone is in
 * every partition).
 */
@WithKafka
class FootprintIT {
  @Test
  void aKeyOwnedAgainAfterItsTombstones_isLiveInItsPartition_andATombstoneInTheOther(
      KafkaCluster kafka) {
    kafka.createTopics(
        TopicSpec.of(Topics.MAPPINGS, 2).withConfig("cleanup.policy", "compact"),
        TopicSpec.of(Topics.INSTANCE_STATE, 2).withConfig("cleanup.policy", "compact"));
    byte[] key = "7777/10.0.0.1/1".getBytes();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            kafka.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(Topics.MAPPINGS, 0, key, new byte[] {1}));
      producer.send(new ProducerRecord<>(Topics.MAPPINGS, 0, key, null)); // tombstones, both
      producer.send(new ProducerRecord<>(Topics.MAPPINGS, 1, key, null));
      producer.send(new ProducerRecord<>(Topics.MAPPINGS, 1, key, new byte[] {2})); // owned again
    }

    Footprint.Topic mappings =
        Footprint.read(kafka.clientConfig(), new SimpleMeterRegistry(), Duration.ofSeconds(20))
            .mappings();

    assertThat(mappings.records()).isEqualTo(4);
    assertThat(mappings.liveKeys()).as("partition 1 keeps the key's record").isEqualTo(1);
    assertThat(mappings.tombstones()).as("partition 0 keeps its tombstone").isEqualTo(1);
  }
}
