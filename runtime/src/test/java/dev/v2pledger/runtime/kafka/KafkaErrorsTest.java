package dev.v2pledger.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.runtime.kafka.KafkaErrors.Kind;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.RecordOrigin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnreleasedInstanceIdException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
                    new ConfigException("Invalid value x for configuration acks"))))
        .isEqualTo(Kind.FATAL);
    assertThat(KafkaErrors.classify(new IllegalStateException("?"))).isEqualTo(Kind.UNKNOWN);
  }

  @Test
  void aRecordWhoseSchemaRegistryDidNotAnswerIsRetriedNotRefused() {
    RecordDecodeException transientLookup =
        new RecordDecodeException(
            RecordDecodeException.Reason.UNKNOWN_SCHEMA,
            RecordOrigin.of("v2p.events", 0, 1),
            "v2p.schemas cannot be read",
            new TimeoutException("no answer"));

    assertThat(transientLookup.isTransient()).isTrue();
    assertThat(KafkaErrors.classify(transientLookup)).isEqualTo(Kind.RETRIABLE);
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
    ConfigException bad = new ConfigException("bad");

    assertThat(KafkaErrors.configError(new KafkaException("Failed to construct", bad)))
        .isSameAs(bad);
    assertThat(KafkaErrors.configError(new TimeoutException("slow"))).isNull();
    assertThat(KafkaErrors.configError(null)).isNull();
  }

  @Test
  void aCauseOfAGivenTypeIsFoundInTheChain_itselfIncluded() {
    UnreleasedInstanceIdException refused = new UnreleasedInstanceIdException("held");

    assertThat(
            KafkaErrors.cause(
                new KafkaException("outer", new KafkaException("middle", refused)),
                UnreleasedInstanceIdException.class))
        .isSameAs(refused);
    assertThat(KafkaErrors.cause(refused, UnreleasedInstanceIdException.class)).isSameAs(refused);
    assertThat(KafkaErrors.cause(new TimeoutException("slow"), ConfigException.class)).isNull();
  }

  /**
   * Clients built for real from settings they cannot work with: the constructor fails before any
   * network I/O, the same way on every attempt, so it is a settings error and never retried.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "security.protocol=SSL,ssl.truststore.location=/nonexistent/ts.jks | /nonexistent/ts.jks",
        "security.protocol=SASL_PLAINTEXT,sasl.mechanism=PLAIN | JAAS",
        "key.serializer=no.such.Serializer | no.such.Serializer"
      })
  void aClientThatCannotBeBuiltIsASettingsError(String settings, String named) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", "127.0.0.1:1");
    for (String setting : settings.split(",")) {
      String[] pair = setting.split("=", 2);
      config.put(pair[0], pair[1]);
    }
    List<Throwable> failures = new ArrayList<>();
    failures.add(failure(() -> new KafkaProducer<>(withSerializers(config)).close()));
    if (!config.containsKey("key.serializer")) {
      failures.add(failure(() -> Admin.create(config).close()));
      failures.add(failure(() -> new KafkaConsumer<>(withDeserializers(config)).close()));
    }

    for (Throwable failure : failures) {
      assertThat(KafkaErrors.classify(failure)).as("%s", failure).isEqualTo(Kind.FATAL);
      assertThat(KafkaErrors.configError(failure)).as("%s", failure).isNotNull();
      assertThat(KafkaErrors.configError(failure).getMessage()).contains(named);
    }
  }

  @Test
  void aConstructorInterruptedIsStillAnInterruption_andOtherKafkaExceptionsAreNotSettings() {
    assertThat(
            KafkaErrors.classify(
                new KafkaException(
                    "Failed to construct kafka consumer", new InterruptException("stop"))))
        .isEqualTo(Kind.INTERRUPTED);
    KafkaException other = new KafkaException("Failed to commit", new TimeoutException("slow"));
    assertThat(KafkaErrors.classify(other)).isEqualTo(Kind.RETRIABLE);
    assertThat(KafkaErrors.configError(other)).isNull();
  }

  private static Map<String, Object> withSerializers(Map<String, Object> config) {
    Map<String, Object> out = new HashMap<>(config);
    out.putIfAbsent("key.serializer", ByteArraySerializer.class.getName());
    out.putIfAbsent("value.serializer", ByteArraySerializer.class.getName());
    return out;
  }

  private static Map<String, Object> withDeserializers(Map<String, Object> config) {
    Map<String, Object> out = new HashMap<>(config);
    out.put("key.deserializer", ByteArrayDeserializer.class.getName());
    out.put("value.deserializer", ByteArrayDeserializer.class.getName());
    return out;
  }

  private static Throwable failure(Runnable build) {
    try {
      build.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("the client was built");
  }
}
