package dev.v2pledger.schema.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.avro.InstanceEvent;
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
   * A cluster without {@code v2p.schemas}: events go on (readers of this build's schema need no
   * registry), and once the topic is made a later publish registers the schema. It was tried once,
   * at construction, and never again.
   */
  @Test
  void aRegistrationRefused_isTriedAgainByALaterPublish_onceTheTopicIsThere(KafkaCluster kafka) {
    kafka.createTopics(TopicSpec.of(Topics.EVENTS, 1));
    try (EventPublisher publisher =
        new EventPublisher(kafka.clientConfig(), "publisher-it", Duration.ofSeconds(10))) {
      assertThat(publisher.registrationProblem()).contains(Topics.SCHEMAS + " does not exist");
      publisher.publish(SampleEvents.everyType().get(0));
      publisher.flush();
      assertThat(publisher.acked()).as("published without the registry").isEqualTo(1);

      kafka.createTopics(TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));

      await() // tried again once 10 s have passed since it was refused
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                publisher.publish(SampleEvents.everyType().get(0));
                return publisher.registrationProblem() == null;
              });
      publisher.flush();
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
