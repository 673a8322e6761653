package dev.v2pledger.schema.publish;

import dev.v2pledger.schema.Partitioning;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.SchemaHistory;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.registry.LogSchemas;
import dev.v2pledger.schema.registry.SchemaRegistration;
import dev.v2pledger.schema.registry.SchemaRegistration.NotRegisteredException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
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
  /**
   * The least time between the beginnings of two attempts of {@link #publish(InstanceEvent,
   * Duration)}.
   */
  public static final Duration ATTEMPTS_APART = Duration.ofSeconds(1);

  private static final org.apache.avro.Schema EVENT =
      dev.v2pledger.schema.avro.InstanceEvent.getClassSchema();

  /**
   * Whether projectors released before this build's event schema need {@code v2p.schemas} to decode
   * its events: it is not the first released version. They would dead-letter every event they
   * cannot decode, so events wait while its registration is refused ({@link #publish}).
   */
  private static final boolean OLDER_READERS_NEED_REGISTRY = !SchemaHistory.isFirstRelease(EVENT);

  private final KafkaProducer<String, InstanceEvent> producer;
  private final AtomicReference<@Nullable Exception> failure = new AtomicReference<>();
  private final AtomicLong acked = new AtomicLong();
  private final LogSchemas schemas;
  private final SchemaRegistration registration;
  private @Nullable String registrationProblem;
  private long sent;

  /**
   * The event producer's settings: {@code kafka}'s, but keyed by the instance id into its one
   * partition (another partitioner in the settings is dropped), idempotent with {@code acks=all},
   * no linger, and the send bounded by {@code timeout}.
   */
  static Map<String, Object> producerConfig(
      Map<String, Object> kafka, String clientId, Duration timeout) {
    Map<String, Object> config = Partitioning.keyPartitioned(kafka);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    int requestTimeout = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeout);
    config.put( // an int, as Kafka reads it: a timeout of weeks does not wrap
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
        (int) Math.min(Integer.MAX_VALUE, 2L * requestTimeout + 5));
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    return config;
  }

  /**
   * A publisher on the cluster of {@code kafka} (client settings) that gives up on a send after
   * {@code timeout}, and on an attempt to register the event schema after it too (at most 10 s to
   * read {@code v2p.schemas} or send the schema, twice that for its delivery: {@link
   * LogSchemas#open(Map, Duration)}). Registers the event schema first: a refusal for good is kept
   * in {@link #registrationProblem}, a failure that may pass is not thrown; {@link #publish} tries
   * again ({@link SchemaRegistration}).
   */
  public EventPublisher(Map<String, Object> kafka, String clientId, Duration timeout) {
    Map<String, Object> config = producerConfig(kafka, clientId, timeout);
    // one registry for the publisher's life, as the applier and the projector keep theirs
    this.schemas = LogSchemas.open(kafka, timeout);
    this.registration =
        new SchemaRegistration(
            schemas::register, List.of(EVENT), SchemaRegistration.RETRY, System::nanoTime);
    try {
      register();
    } catch (NotRegisteredException e) {
      // a failure that may pass: the first publish tries again
    } catch (RuntimeException e) { // interrupted, say
      schemas.close();
      throw e;
    }
    try {
      this.producer = new KafkaProducer<>(config, new StringSerializer(), V2PSerde.events());
    } catch (RuntimeException e) {
      schemas.close();
      throw e;
    }
  }

  /**
   * Registers the event schema unless it is there (or was refused for good less than {@link
   * SchemaRegistration#RETRY} ago); a refusal for good is kept in {@link #registrationProblem},
   * which {@link #publish} consults.
   *
   * @throws NotRegisteredException when it could not be registered for a reason that may pass
   */
  private void register() {
    SchemaRegistration.Attempt attempt = registration.beforeWrite();
    if (attempt.status() == SchemaRegistration.Status.REGISTERED) {
      registrationProblem = null;
    } else if (attempt.status() == SchemaRegistration.Status.REFUSED) {
      registrationProblem =
          "cannot register the event schema in "
              + Topics.SCHEMAS
              + ": "
              + Objects.requireNonNull(attempt.refusal()).getMessage();
    }
  }

  /**
   * Why the event schema was refused for good in {@code v2p.schemas} (no topic, no ACL: it is tried
   * again on a publish once 10 s have passed; events wait meanwhile, unless every released
   * projector knows the schema), or null: it is there, or not yet, for a reason that may pass (a
   * timeout: events wait for it, {@link #publish}).
   */
  public @Nullable String registrationProblem() {
    return registrationProblem;
  }

  /**
   * Sends asynchronously; a failure of an earlier send is raised here. Registers the event schema
   * first while it is not registered ({@link SchemaRegistration}).
   *
   * @throws PublishException when the schema could not be registered now for a reason that may pass
   *     (a timeout; its cause a retriable {@link NotRegisteredException}), or was refused for good
   *     while projectors released before it need it to decode the event (its cause a {@link
   *     RegistryRefusedException}, not retriable: DESIGN "Schemas in the log"): nothing was sent
   */
  public void publish(InstanceEvent event) {
    raiseFailure();
    try {
      register();
    } catch (NotRegisteredException e) {
      throw new PublishException("not publishing to " + Topics.EVENTS, e);
    }
    if (registrationProblem != null && OLDER_READERS_NEED_REGISTRY) {
      throw new PublishException(
          "not publishing to " + Topics.EVENTS, new RegistryRefusedException(registrationProblem));
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

  /**
   * As {@link #publish(InstanceEvent)}, but a registration that fails for a reason that may pass is
   * tried again until it works (or is refused for good: the event goes, or not, as {@link
   * #publish(InstanceEvent)} decides) or {@code patience} has passed since this call (at least one
   * attempt is made, and the last may end after it; none begins once it has passed: when the next
   * could not begin before, this gives up at once). Each attempt waits for the broker up to the
   * publisher's timeout for each step of its read and for its send, twice that for the write's
   * delivery ({@link LogSchemas#open(Map, Duration)}), so a patience no longer than one attempt
   * allows no second one; one that failed sooner is followed by a pause, so attempts begin at least
   * {@link #ATTEMPTS_APART} apart. An interrupt ends the wait.
   *
   * @throws PublishException when the schema is still not registered within {@code patience} (its
   *     cause a retriable {@link NotRegisteredException}), or was refused for good as {@link
   *     #publish(InstanceEvent)} says (its cause a {@link RegistryRefusedException}): nothing was
   *     sent
   * @throws InterruptException when interrupted: nothing was sent
   */
  public void publish(InstanceEvent event, Duration patience) {
    long start = System.nanoTime();
    long wait = nanos(patience);
    while (true) {
      long began = System.nanoTime();
      try {
        register();
        break;
      } catch (NotRegisteredException e) {
        long now = System.nanoTime(); // times compared as elapsed: a long patience does not wrap
        long pause = Math.max(0, ATTEMPTS_APART.toNanos() - (now - began));
        // no wrap: wait - elapsed is positive once elapsed < wait
        if (now - start >= wait || pause >= wait - (now - start)) {
          throw new PublishException("not publishing to " + Topics.EVENTS, e);
        }
        if (pause > 0) {
          sleep(pause);
        }
      }
    }
    publish(event);
  }

  private static void sleep(long pause) {
    try {
      TimeUnit.NANOSECONDS.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }

  /**
   * {@code patience} in nanoseconds, saturated at a long's bounds ({@code ChronoUnit.FOREVER},
   * say).
   */
  private static long nanos(Duration patience) {
    try {
      return patience.toNanos();
    } catch (ArithmeticException e) {
      return patience.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
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
    try {
      producer.close(Duration.ofSeconds(10));
    } finally {
      schemas.close();
    }
  }

  /**
   * The event schema was refused for good in {@code v2p.schemas} (no topic, no ACL), and projectors
   * released before it cannot decode its events without it: they would dead-letter them, and the
   * fold would never see them. Not retriable: a publish tries again once 10 s have passed.
   */
  public static final class RegistryRefusedException extends RuntimeException {
    RegistryRefusedException(String problem) {
      super(
          problem
              + "; projectors released before this event schema would dead-letter its events"
              + " (UNKNOWN_SCHEMA): grant this publisher Read and Write on "
              + Topics.SCHEMAS
              + ", or run this release's projector init-topics");
    }
  }

  /** A send failed; the cause is Kafka's. */
  public static final class PublishException extends RuntimeException {
    PublishException(String message, Exception cause) {
      super(message + ": " + cause.getMessage(), cause);
    }
  }
}
