package dev.v2pledger.runtime.kafka;

import java.util.Locale;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.jspecify.annotations.Nullable;

/**
 * Classifies an exception once, at the boundary of a Kafka runner, by walking its cause chain: what
 * to do about it is then one switch.
 */
public final class KafkaErrors {

  /** What a runner does about an error. */
  public enum Kind {
    /**
     * Stop the component with a clear message: authorization, authentication, an unsupported
     * version, bad client settings (none of them get better by retrying).
     */
    FATAL,
    /** Another instance took over (producer fenced, group generation lost): close and rejoin. */
    FENCED,
    /** Transient (timeouts, leader moves, coordinator loading): retry with a bound. */
    RETRIABLE,
    /** The thread was interrupted: stop quietly. */
    INTERRUPTED,
    /** Anything else: abort the unit of work and retry it with a bound, then stop. */
    UNKNOWN
  }

  private static final int MAX_DEPTH = 16;

  private KafkaErrors() {}

  public static Kind classify(Throwable error) {
    Throwable classified = first(error, cause -> direct(cause) != null);
    Kind kind = classified == null ? Kind.UNKNOWN : direct(classified);
    return kind != Kind.INTERRUPTED && construction(error) != null ? Kind.FATAL : kind;
  }

  /**
   * The failure of a Kafka client's constructor in {@code error}'s cause chain, or null. Kafka
   * wraps whatever stopped a producer, consumer or admin client from being built (a trust store
   * that is not there, SASL without a JAAS entry, a serializer class that does not load) in a plain
   * {@link KafkaException} with a fixed message; nothing in a constructor waits for the network, so
   * the same settings fail the same way on every attempt.
   */
  private static @Nullable Throwable construction(@Nullable Throwable error) {
    return first(
        error,
        cause -> {
          if (cause.getClass() != KafkaException.class || cause.getMessage() == null) {
            return false;
          }
          String message = cause.getMessage().toLowerCase(Locale.ROOT);
          return message.startsWith("failed to construct kafka ")
              || message.startsWith("failed to create new kafkaadminclient");
        });
  }

  private static @Nullable Kind direct(Throwable error) {
    if (error instanceof AuthorizationException
        || error instanceof AuthenticationException
        || error instanceof UnsupportedVersionException
        || error instanceof ConfigException) {
      return Kind.FATAL;
    }
    if (error instanceof ProducerFencedException
        || error instanceof InvalidProducerEpochException
        || error instanceof FencedInstanceIdException
        || error instanceof CommitFailedException) {
      return Kind.FENCED;
    }
    if (error instanceof InterruptException || error instanceof InterruptedException) {
      return Kind.INTERRUPTED;
    }
    if (error instanceof RetriableException) {
      return Kind.RETRIABLE;
    }
    return null;
  }

  /**
   * The bad client setting behind {@code error}, which no retry fixes and which the operator must
   * correct: a usage error. That is a {@link ConfigException} in its cause chain (an unknown
   * security protocol, a JAAS line that does not parse...), or else a client that could not be
   * built from its settings (a trust store that is not there, SASL without a JAAS entry), reported
   * as a {@link ConfigException} naming the innermost cause. Null when there is none.
   */
  public static @Nullable ConfigException configError(@Nullable Throwable error) {
    ConfigException config = cause(error, ConfigException.class);
    if (config != null) {
      return config;
    }
    Throwable construction = construction(error);
    if (construction == null || construction.getCause() == null) {
      return null;
    }
    return new ConfigException(
        "the client cannot be created: " + rootMessage(construction.getCause()));
  }

  /** The first {@code type} in {@code error}'s cause chain (itself included), or null. */
  public static <T extends Throwable> @Nullable T cause(@Nullable Throwable error, Class<T> type) {
    return type.cast(first(error, type::isInstance));
  }

  /** The first of {@code error}'s cause chain (itself included) that {@code test} accepts. */
  private static @Nullable Throwable first(@Nullable Throwable error, Predicate<Throwable> test) {
    Throwable current = error;
    for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
      if (test.test(current)) {
        return current;
      }
      current = current.getCause();
    }
    return null;
  }

  /** The message of the innermost cause that has one, for one-line reports. */
  public static String rootMessage(Throwable error) {
    String message = error.getMessage();
    Throwable current = error;
    for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
      if (current.getMessage() != null) {
        message = current.getClass().getSimpleName() + ": " + current.getMessage();
      }
      current = current.getCause();
    }
    return message == null ? error.getClass().getSimpleName() : message;
  }
}
