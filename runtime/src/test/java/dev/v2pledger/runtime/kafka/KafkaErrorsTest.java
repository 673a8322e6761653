package dev.v2pledger.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.runtime.kafka.KafkaErrors.Kind;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

class KafkaErrorsTest {

  @Test
  void classifiesByWalkingTheCauseChain() {
    assertThat(
            KafkaErrors.classify(
                new KafkaException("wrapped", new ProducerFencedException("fenced"))))
        .isEqualTo(Kind.FENCED);
    assertThat(KafkaErrors.classify(new KafkaException(new TopicAuthorizationException("no"))))
        .isEqualTo(Kind.FATAL);
    assertThat(KafkaErrors.classify(new SaslAuthenticationException("bad password")))
        .isEqualTo(Kind.FATAL);
    assertThat(KafkaErrors.classify(new TimeoutException("slow"))).isEqualTo(Kind.RETRIABLE);
    assertThat(
            KafkaErrors.classify(new RuntimeException(new NotLeaderOrFollowerException("moved"))))
        .isEqualTo(Kind.RETRIABLE);
    assertThat(
            KafkaErrors.classify(
                new KafkaException(
                    "construction failed",
                    new org.apache.kafka.common.config.ConfigException(
                        "Invalid value x for configuration acks"))))
        .isEqualTo(Kind.FATAL);
    assertThat(KafkaErrors.classify(new IllegalStateException("?"))).isEqualTo(Kind.UNKNOWN);
  }

  @Test
  void rootMessageNamesTheInnermostCause() {
    assertThat(
            KafkaErrors.rootMessage(
                new KafkaException(
                    "outer", new SaslAuthenticationException("Authentication failed"))))
        .isEqualTo("SaslAuthenticationException: Authentication failed");
  }

  @Test
  void configErrorsAreFoundInTheCauseChain() {
    org.apache.kafka.common.config.ConfigException bad =
        new org.apache.kafka.common.config.ConfigException("bad");

    assertThat(KafkaErrors.configError(new KafkaException("Failed to construct", bad)))
        .isSameAs(bad);
    assertThat(KafkaErrors.configError(new TimeoutException("slow"))).isNull();
    assertThat(KafkaErrors.configError(null)).isNull();
  }

  @Test
  void aCauseOfAGivenTypeIsFoundInTheChain_itselfIncluded() {
    org.apache.kafka.common.errors.UnreleasedInstanceIdException refused =
        new org.apache.kafka.common.errors.UnreleasedInstanceIdException("held");

    assertThat(
            KafkaErrors.cause(
                new KafkaException("outer", new KafkaException("middle", refused)),
                org.apache.kafka.common.errors.UnreleasedInstanceIdException.class))
        .isSameAs(refused);
    assertThat(
            KafkaErrors.cause(
                refused, org.apache.kafka.common.errors.UnreleasedInstanceIdException.class))
        .isSameAs(refused);
    assertThat(KafkaErrors.cause(new TimeoutException("slow"), ConfigException.class)).isNull();
  }
}
