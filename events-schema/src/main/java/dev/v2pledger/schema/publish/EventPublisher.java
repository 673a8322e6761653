package dev.v2pledger.schema.publish;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.registry.LogSchemas;
import dev.v2pledger.schema.registry.SchemaRegistration;
import dev.v2pledger.schema.registry.SchemaRegistration.NotRegisteredException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * Publishes events as the README's contract asks: the writer schema put in {@code v2p.schemas}
 * before the first event, key = instance id (so Java's murmur2 partitioner routes every event of an
 * instance to one partition), Avro single-object values with their headers, an idempotent producer
 * with {@code acks=all} so retries never reorder or duplicate an instance's events, and {@code
 * linger.ms=0} so nothing waits. Sends are asynchronous; the first failure is raised by the next
 * call. Not thread-safe.
 */
public final class EventPublisher implements AutoCloseable {
  private final KafkaProducer<String, InstanceEvent> producer;
  private final AtomicReference<@Nullable Exception> failure = new AtomicReference<>();
  private final AtomicLong acked = new AtomicLong();
  private final SchemaRegistration registration;
  private @Nullable String registrationProblem;
  private long sent;

  /**
   * A publisher on the cluster of {@code kafka} (client settings) that gives up on a send after
   * {@code timeout}; registers the event schema first (a failure there is kept in {@link
   * #registrationProblem}, not thrown; {@link #publish} tries again, {@link SchemaRegistration}).
   */
  public EventPublisher(Map<String, Object> kafka, String clientId, Duration timeout) {
    Map<String, Object> config = new HashMap<>(kafka);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    int requestTimeout = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2 * requestTimeout + 5);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    Map<String, Object> registry = Map.copyOf(kafka);
    this.registration =
        new SchemaRegistration(
            schemas -> {
              try (LogSchemas log = LogSchemas.open(registry)) {
                return log.register(schemas);
              }
            },
            List.of(dev.v2pledger.schema.avro.InstanceEvent.getClassSchema()),
            SchemaRegistration.RETRY,
            System::nanoTime);
    try {
      register();
    } catch (NotRegisteredException e) { // kept: the first publish tries again
      registrationProblem = problem(e);
    }
    this.producer = new KafkaProducer<>(config, new StringSerializer(), V2PSerde.events());
  }

  /**
   * Registers the event schema unless it is there (or was refused for good less than {@link
   * SchemaRegistration#RETRY} ago: events go on).
   *
   * @throws NotRegisteredException when it could not be registered for a reason that may pass
   */
  private void register() {
    SchemaRegistration.Attempt attempt;
    try {
      attempt = registration.beforeWrite();
    } catch (NotRegisteredException e) {
      registrationProblem = problem(e);
      throw e;
    }
    if (attempt.status() == SchemaRegistration.Status.REGISTERED) {
      registrationProblem = null;
    } else if (attempt.status() == SchemaRegistration.Status.REFUSED) {
      registrationProblem = problem(java.util.Objects.requireNonNull(attempt.refusal()));
    }
  }

  private static String problem(RuntimeException e) {
    return "cannot register the event schema in " + Topics.SCHEMAS + ": " + e.getMessage();
  }

  /**
   * Why the event schema could not be put in {@code v2p.schemas} at the last attempt, or null once
   * it is there.
   */
  public @Nullable String registrationProblem() {
    return registrationProblem;
  }

  /**
   * Sends asynchronously; a failure of an earlier send is raised here. Registers the event schema
   * first while it is not registered ({@link SchemaRegistration}).
   *
   * @throws PublishException when the schema could not be registered now for a reason that may pass
   *     (a timeout; its cause a retriable {@link NotRegisteredException}): nothing was sent
   */
  public void publish(InstanceEvent event) {
    raiseFailure();
    try {
      register();
    } catch (NotRegisteredException e) {
      throw new PublishException("not publishing to " + Topics.EVENTS, e);
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

  /** Waits until every event sent so far is acknowledged; raises the first failure. */
  public void flush() {
    producer.flush();
    raiseFailure();
  }

  private void raiseFailure() {
    Exception failed = failure.get();
    if (failed != null) {
      throw new PublishException("publishing to " + Topics.EVENTS + " failed", failed);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }

  /** A send failed; the cause is Kafka's. */
  public static final class PublishException extends RuntimeException {
    PublishException(String message, Exception cause) {
      super(message + ": " + cause.getMessage(), cause);
    }
  }
}
