package dev.v2pledger.schema.registry;

import dev.v2pledger.schema.codec.AvroRecordCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One registration's write to the registry topic ({@link LogSchemas#register}), on a producer of
 * its own: waiting for a broker that does not take it lasts up to {@code timeout} for the send and
 * twice that for its delivery, unless {@link #abort} ends it first.
 */
final class SchemaWriter implements AutoCloseable {
  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;

  SchemaWriter(Map<String, Object> kafka, String topic, Duration timeout) {
    this.topic = topic;
    Map<String, Object> config = new HashMap<>(kafka);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "v2p-schemas");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout.toMillis() * 2);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    this.producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Puts each schema under its fingerprint and waits until the broker has each.
   *
   * @throws KafkaException naming the first schema the broker did not take (no Write on the topic,
   *     too large, not taken in time), with Kafka's error as its cause
   */
  void write(List<Schema> schemas) {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (Schema schema : schemas) {
      long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
      sent.add(
          producer.send(
              new ProducerRecord<>(
                  topic,
                  AvroRecordCodec.hex(fingerprint).getBytes(StandardCharsets.UTF_8),
                  schema.toString().getBytes(StandardCharsets.UTF_8))));
    }
    producer.flush();
    for (int i = 0; i < sent.size(); i++) {
      awaitWritten(sent.get(i), schemas.get(i));
    }
  }

  /** Waits for one schema's write: a refused one (no Write on the topic, say) is an error. */
  private void awaitWritten(Future<RecordMetadata> sent, Schema schema) {
    try {
      sent.get();
    } catch (ExecutionException e) {
      String what =
          "cannot register schema "
              + schema.getFullName()
              + " ("
              + AvroRecordCodec.hex(SchemaNormalization.parsingFingerprint64(schema))
              + ") in "
              + topic
              + ": "
              + e.getCause().getMessage();
      throw new KafkaException(what, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  /**
   * Ends a write in progress at once, from another thread (a stop): the producer is closed without
   * waiting, so a send waiting for metadata and the records not delivered yet fail. A schema the
   * broker has taken stays written.
   */
  void abort() {
    producer.close(Duration.ZERO);
  }

  /**
   * Closes the producer, waiting for what it has not delivered; not when the thread was interrupted
   * (a stop that ended the write): then at once, as {@link #abort} does.
   */
  @Override
  public void close() {
    if (Thread.currentThread().isInterrupted()) {
      producer.close(Duration.ZERO);
    } else {
      producer.close();
    }
  }
}
