package dev.v2pledger.replay.kafka;

import dev.v2pledger.ops.KafkaErrors;
import dev.v2pledger.ops.UsageException;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.InstanceEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes events to {@code v2p.events} as a service would: key = instance id, idempotent producer
 * with {@code acks=all}, so each instance's events keep their file order even on retries.
 */
public final class EventPublisher {
  private EventPublisher() {}

  /** Sends every event in order and waits for all acknowledgements; returns how many were sent. */
  public static long publish(KafkaAccess kafka, List<InstanceEvent> events) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    int requestTimeout = (int) kafka.timeout().toMillis();
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2 * requestTimeout + 5);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, kafka.timeout().toMillis());
    V2PSerde<InstanceEvent> serde = V2PSerde.events();
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<String, InstanceEvent> producer =
        new KafkaProducer<>(config, new StringSerializer(), serde)) {
      for (InstanceEvent event : events) {
        if (failure.get() != null) {
          break;
        }
        producer.send(
            new ProducerRecord<>(Topics.EVENTS, event.key(), event),
            (metadata, error) -> {
              if (error != null) {
                failure.compareAndSet(null, error);
              }
            });
      }
      producer.flush();
    } catch (org.apache.kafka.common.KafkaException e) {
      failure.compareAndSet(null, e);
    }
    Exception error = failure.get();
    if (error != null) {
      if (KafkaErrors.configError(error) != null) {
        throw kafka.failed("publishing to " + Topics.EVENTS, error); // bad settings: exit 2
      }
      throw new UsageException(
          "publishing to "
              + kafka.bootstrapServers()
              + " failed: "
              + KafkaErrors.rootMessage(error),
          dev.v2pledger.ops.Cli.EXIT_FAILURE);
    }
    return events.size();
  }
}
