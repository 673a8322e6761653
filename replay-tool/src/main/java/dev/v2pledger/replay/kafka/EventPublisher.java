package dev.v2pledger.replay.kafka;

import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.InstanceEvent;
import java.util.List;

/**
 * {@code publish}'s use of the shared publisher ({@link
 * dev.v2pledger.schema.publish.EventPublisher}, the README's contract in Java): every event in file
 * order, then a wait for every acknowledgement; a failure becomes the command's one-line error.
 */
public final class EventPublisher {
  private EventPublisher() {}

  /** Sends every event in order and waits for all acknowledgements; returns how many were sent. */
  public static long publish(KafkaAccess kafka, List<InstanceEvent> events) {
    try (dev.v2pledger.schema.publish.EventPublisher publisher =
        new dev.v2pledger.schema.publish.EventPublisher(
            kafka.clientConfig(), "replay-tool-publish", kafka.timeout())) {
      for (InstanceEvent event : events) {
        publisher.publish(event);
      }
      publisher.flush();
      return publisher.sent();
    } catch (RuntimeException error) {
      if (KafkaErrors.configError(error) != null) {
        throw kafka.failed("publishing to " + Topics.EVENTS, error); // bad settings: exit 2
      }
      throw new UsageException(
          "publishing to "
              + kafka.bootstrapServers()
              + " failed: "
              + KafkaErrors.rootMessage(error),
          dev.v2pledger.runtime.cli.Cli.EXIT_FAILURE);
    }
  }
}
