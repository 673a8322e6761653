package dev.v2pledger.schema.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.publish.EventPublisher.PublishException;
import dev.v2pledger.schema.registry.SchemaRegistration.NotRegisteredException;
import dev.v2pledger.schema.testing.NoSuchPartition;
import dev.v2pledger.schema.testing.SampleEvents;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code publish(event, patience)} against a {@code v2p.schemas} whose writes stall ({@link
 * NoSuchPartition}) for a publisher whose timeout (200 ms) makes an attempt much shorter than
 * {@link EventPublisher#ATTEMPTS_APART}. A cluster of its own: {@link RegistryStallIT} leaves the
 * schema registered.
 */
@WithKafka
class RegistryPaceIT {
  /**
   * With a patience of 1.7 s, attempts of about 0.4 s begin at 0 and at 1 s; a third could begin no
   * sooner than 2 s, past the patience, so there is none. It made a third at 1.7 s, 0.7 s after the
   * second: the pause before it was cut to what was left of the patience.
   */
  @Test
  void attemptsBeginAtLeastASecondApart_alsoWhenThePatienceEndsSooner(KafkaCluster kafka) {
    try (EventPublisher publisher =
        RegistryStallIT.stalledPublisher(kafka, "registry-pace-it", Duration.ofMillis(200))) {
      int before = NoSuchPartition.asks(); // the constructor's attempt, unless its read timed out

      assertThatThrownBy(
              () -> publisher.publish(SampleEvents.everyType().get(0), Duration.ofMillis(1700)))
          .isInstanceOf(PublishException.class)
          .hasCauseInstanceOf(NotRegisteredException.class);

      assertThat(NoSuchPartition.asks() - before)
          .as("attempts that wrote, at least 1 s apart within 1.7 s")
          .isLessThanOrEqualTo(2);
      assertThat(publisher.sent()).isZero();
    }
  }
}
