package dev.v2pledger.devstack.stack;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.InstanceEvent;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * Publishes events as the README asks every publisher to: key = instance id, Avro single-object
 * values with their headers, an idempotent producer ({@code acks=all}) so retries never reorder or
 * duplicate an instance's events; {@code linger.ms=0} so nothing waits.
 */
public final class EventPublisher implements AutoCloseable {
  private final KafkaProducer<String, InstanceEvent> producer;
  private final AtomicReference<@Nullable Exception> failure = new AtomicReference<>();
  private final AtomicLong acked = new AtomicLong();
  private long sent;

  public EventPublisher(Map<String, Object> kafka) {
    Map<String, Object> config = new HashMap<>(kafka);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "devstack-workload");
    this.producer = new KafkaProducer<>(config, new StringSerializer(), V2PSerde.events());
  }

  /** Sends asynchronously; a failure is raised by the next call. */
  public void publish(InstanceEvent event) {
    Exception failed = failure.get();
    if (failed != null) {
      throw new IllegalStateException("publishing to " + Topics.EVENTS + " failed", failed);
    }
    producer.send(
        new ProducerRecord<>(Topics.EVENTS, event.key(), event),
        (metadata, error) -> {
          if (error != null) {
            failure.compareAndSet(null, error);
          } else {
            acked.incrementAndGet();
          }
        });
    sent++;
  }

  public long sent() {
    return sent;
  }

  public long acked() {
    return acked.get();
  }

  /** Waits until every event sent so far is acknowledged. */
  public void flush() {
    producer.flush();
    Exception failed = failure.get();
    if (failed != null) {
      throw new IllegalStateException("publishing to " + Topics.EVENTS + " failed", failed);
    }
  }

  @Override
  public void close() {
    producer.close(java.time.Duration.ofSeconds(10));
  }
}
