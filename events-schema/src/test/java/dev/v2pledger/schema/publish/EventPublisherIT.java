package dev.v2pledger.schema.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.avro.InstanceEvent;
import dev.v2pledger.schema.codec.SchemaHistory;
import dev.v2pledger.schema.publish.EventPublisher.PublishException;
import dev.v2pledger.schema.publish.EventPublisher.RegistryRefusedException;
import dev.v2pledger.schema.registry.LogSchemas;
import dev.v2pledger.schema.testing.SampleEvents;
import java.time.Duration;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/** The publisher's registration of the event schema, on a broker without {@code v2p.schemas}. */
@WithKafka
class EventPublisherIT {
  private static final Schema EVENT = InstanceEvent.getClassSchema();

  /**
   * A cluster without {@code v2p.schemas}: this build's event schema is not the first release
   * (projectors released before it need the registry to decode its events, and would dead-letter
   * them), so events wait: a publish throws, not retriable, naming the topic and what to do, and
   * sends nothing. Once the topic is made, a later publish (10 s after the refusal) registers the
   * schema and sends. It was tried once, at construction, and never again.
   */
  @Test
  void aRegistrationRefused_holdsEventsBack_untilALaterPublishFindsTheTopic(KafkaCluster kafka) {
    assertThat(SchemaHistory.isFirstRelease(EVENT)).as("the case this test is about").isFalse();
    kafka.createTopics(TopicSpec.of(Topics.EVENTS, 1));
    try (EventPublisher publisher =
        new EventPublisher(kafka.clientConfig(), "publisher-it", Duration.ofSeconds(10))) {
      assertThat(publisher.registrationProblem()).contains(Topics.SCHEMAS + " does not exist");
      assertThatThrownBy(() -> publisher.publish(SampleEvents.everyType().get(0)))
          .isInstanceOf(PublishException.class)
          .hasCauseInstanceOf(RegistryRefusedException.class)
          .hasMessageContaining(Topics.SCHEMAS + " does not exist")
          .hasMessageContaining("would dead-letter its events")
          .hasMessageContaining("init-topics");
      publisher.flush();
      assertThat(publisher.sent()).as("nothing sent").isZero();

      kafka.createTopics(TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));

      await() // tried again once 10 s have passed since it was refused
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .ignoreException(PublishException.class)
          .until(
              () -> {
                publisher.publish(SampleEvents.everyType().get(0));
                return true;
              });
      assertThat(publisher.registrationProblem()).isNull();
      publisher.flush();
      assertThat(publisher.acked()).as("published once registered").isEqualTo(1);
    }
    try (LogSchemas registry = LogSchemas.open(kafka.clientConfig())) {
      assertThat(registry.find(SchemaNormalization.parsingFingerprint64(EVENT))).isEqualTo(EVENT);
    }
  }

  /**
   * A timeout of weeks (a command's {@code --timeout} may be up to {@code Integer.MAX_VALUE} ms,
   * ~24.8 days) still makes a publisher. Its producer's delivery timeout, twice the request
   * timeout, overflowed an int past ~12.4 days, and Kafka refused the negative value.
   */
  @Test
  void aTimeoutOfWeeks_makesAPublisher(KafkaCluster kafka) {
    try (EventPublisher publisher =
        new EventPublisher(kafka.clientConfig(), "publisher-it-weeks", Duration.ofDays(20))) {
      assertThat(publisher.sent()).isZero();
    }
  }
}
