package dev.v2pledger.schema.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.avro.InstanceEvent;
import dev.v2pledger.schema.publish.EventPublisher.PublishException;
import dev.v2pledger.schema.registry.LogSchemas;
import dev.v2pledger.schema.registry.SchemaRegistration.NotRegisteredException;
import dev.v2pledger.schema.testing.NoSuchPartition;
import dev.v2pledger.schema.testing.SampleEvents;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/**
 * The publisher's registration against a {@code v2p.schemas} that does not take the schema for a
 * while: its writes go to a partition the topic does not have ({@link NoSuchPartition}), each
 * waiting out its delivery timeout (twice the publisher's 2 s), until the stall is released.
 */
@WithKafka
class RegistryStallIT {
  private static final Schema EVENT = InstanceEvent.getClassSchema();

  /**
   * {@code publish(event)} gives up at the first attempt that stalls (nothing sent); {@code
   * publish(event, patience)} tries again until the registry takes the schema, then sends. Without
   * the retry the second call failed as the first.
   */
  @Test
  void aStalledRegistration_isTriedAgainWithinThePatience_thenTheEventGoes(KafkaCluster kafka)
      throws Exception {
    try (EventPublisher publisher =
        stalledPublisher(kafka, "registry-stall-it", Duration.ofSeconds(2))) {
      assertThat(NoSuchPartition.asks()).as("the constructor's attempt was written").isEqualTo(1);
      assertThat(publisher.registrationProblem()).as("not refused: it may pass").isNull();

      assertThatThrownBy(() -> publisher.publish(SampleEvents.everyType().get(0)))
          .isInstanceOf(PublishException.class)
          .hasCauseInstanceOf(NotRegisteredException.class);
      assertThat(publisher.sent()).isZero();

      CompletableFuture<Void> patient =
          CompletableFuture.runAsync(
              () -> publisher.publish(SampleEvents.everyType().get(0), Duration.ofSeconds(60)));
      await() // its first attempt's write began, and stalls
          .atMost(Duration.ofSeconds(30))
          .until(() -> NoSuchPartition.asks() >= 3);
      NoSuchPartition.release();

      patient.get(30, TimeUnit.SECONDS); // a later attempt registers, then the event goes
      publisher.flush();
      assertThat(publisher.acked()).isEqualTo(1);
      // registrations only: the event goes to its key's partition (EventPublisher's own producer
      // drops the stalling partitioner), and acked() above says it went
      assertThat(NoSuchPartition.asks())
          .as("tried again after the release")
          .isGreaterThanOrEqualTo(4);
    }
    try (LogSchemas registry = LogSchemas.open(kafka.clientConfig())) {
      assertThat(registry.find(SchemaNormalization.parsingFingerprint64(EVENT))).isEqualTo(EVENT);
    }
  }

  /**
   * A publisher on {@code kafka}, with {@code v2p.events} and {@code v2p.schemas} made, whose
   * writes stall ({@link NoSuchPartition}): its constructor's registration attempt stalled already.
   */
  static EventPublisher stalledPublisher(KafkaCluster kafka, String clientId, Duration timeout) {
    kafka.createTopics(
        TopicSpec.of(Topics.EVENTS, 1),
        TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));
    return new EventPublisher(NoSuchPartition.stalling(kafka.clientConfig()), clientId, timeout);
  }
}
