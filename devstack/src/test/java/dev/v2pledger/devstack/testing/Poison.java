package dev.v2pledger.devstack.testing;

import dev.v2pledger.schema.Topics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** A poison event on {@code v2p.events}: bytes that are no Avro event, for the dead-letter path. */
public final class Poison {
  private Poison() {}

  /** Publishes one under {@code key} (idempotent, {@code acks=all}) and waits until it is in. */
  public static void publish(Map<String, Object> kafka, String key) {
    Map<String, Object> config = new HashMap<>(kafka);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.send(
          new ProducerRecord<>(
              Topics.EVENTS,
              key.getBytes(StandardCharsets.UTF_8),
              "not an Avro event".getBytes(StandardCharsets.UTF_8)));
      producer.flush();
    }
  }
}
