package dev.v2pledger.projector.runner;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Makes a runner's Kafka clients from their settings ({@link KafkaClients}). The seam between the
 * runner and Kafka: production uses {@link #KAFKA}; a test (in this package) may pass one whose
 * clients fail or stall at a chosen call, or die as a crashed process's would.
 */
interface ClientFactory {
  Producer<byte[], byte[]> producer(Map<String, Object> settings);

  /** The group consumer and the restore consumer (its settings name no group). */
  Consumer<byte[], byte[]> consumer(Map<String, Object> settings);

  Admin admin(Map<String, Object> settings);

  /** Kafka's own clients. */
  ClientFactory KAFKA =
      new ClientFactory() {
        @Override
        public Producer<byte[], byte[]> producer(Map<String, Object> settings) {
          return new KafkaProducer<>(
              settings, new ByteArraySerializer(), new ByteArraySerializer());
        }

        @Override
        public Consumer<byte[], byte[]> consumer(Map<String, Object> settings) {
          return new KafkaConsumer<>(
              settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }

        @Override
        public Admin admin(Map<String, Object> settings) {
          return Admin.create(settings);
        }
      };
}
