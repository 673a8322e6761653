package dev.v2pledger.projector.topics;

import dev.v2pledger.runtime.time.Durations;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.SchemaHistory;
import dev.v2pledger.schema.registry.LogSchemas;
import dev.v2pledger.schema.registry.TopicMissingException;
import java.time.Duration;
import java.util.Map;

/**
 * Registers every released schema of this build in {@code v2p.schemas}, for {@code init-topics},
 * which has just created the topic or found it. A topic created a moment ago may not be in the
 * metadata of the broker a client asks yet (the controller answered the creation; the brokers learn
 * of it after): while it is not, registration is tried again, every {@link #PAUSE}, until {@code
 * timeout} has passed, each read and write bounded by {@code timeout} too ({@link
 * LogSchemas#open(Map, Duration)}).
 */
public final class ReleasedSchemas {
  /** The pause between two looks for a topic the metadata does not have yet. */
  static final Duration PAUSE = Duration.ofMillis(100);

  private ReleasedSchemas() {}

  /**
   * Registers them on the cluster of {@code kafka} (client settings); returns how many were not
   * there already.
   *
   * @throws NotVisibleException when {@code v2p.schemas} is still not in the metadata after {@code
   *     timeout}
   * @throws org.apache.kafka.common.KafkaException as {@link LogSchemas#register} does
   */
  public static int register(Map<String, Object> kafka, Duration timeout) {
    return register(kafka, timeout, () -> {});
  }

  /** As {@link #register(Map, Duration)}, running {@code afterMiss} after each look that missed. */
  static int register(Map<String, Object> kafka, Duration timeout, Runnable afterMiss) {
    long start = System.nanoTime();
    try (LogSchemas schemas = LogSchemas.open(kafka, timeout)) {
      while (true) {
        try {
          return schemas.register(SchemaHistory.allReleased()).size();
        } catch (TopicMissingException e) { // not in the metadata (yet)
          afterMiss.run();
          if (System.nanoTime() - start + PAUSE.toNanos() > timeout.toNanos()) {
            throw new NotVisibleException(timeout);
          }
          AdminCalls.sleep(PAUSE.toMillis());
        }
      }
    }
  }

  /** {@code v2p.schemas} was not in the cluster's metadata within the timeout. */
  public static final class NotVisibleException extends RuntimeException {
    NotVisibleException(Duration timeout) {
      super(
          Topics.SCHEMAS
              + " is not in the cluster's metadata within "
              + Durations.readable(timeout)
              + " (deleted meanwhile, or not yet known to every broker); released schemas not"
              + " registered: run init-topics again");
    }
  }
}
