package dev.v2pledger.devstack.testing;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/** A mapping record on {@code v2p.mappings} written as a test's own, outside any projector. */
public final class MappingRecords {
  private MappingRecords() {}

  /**
   * Produces {@code mapping} under its key, as the projector writes it (outside any transaction;
   * its cause a made-up position 0@0, now), and waits until it is in.
   */
  public static RecordMetadata produce(Map<String, Object> kafka, V2PMapping mapping) {
    try (KafkaProducer<String, ProjectedMapping> producer =
        new KafkaProducer<>(kafka, new StringSerializer(), V2PSerde.mappings().serializer())) {
      return producer
          .send(
              new ProducerRecord<>(
                  Topics.MAPPINGS,
                  mapping.key().toString(),
                  new ProjectedMapping(mapping, new EventPosition(0, 0, Instant.now()))))
          .get();
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("cannot produce " + mapping, e);
    }
  }
}
