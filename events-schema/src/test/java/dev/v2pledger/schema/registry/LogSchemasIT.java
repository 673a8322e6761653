package dev.v2pledger.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.avro.InstanceEvent;
import dev.v2pledger.schema.codec.AvroRecordCodec;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.testing.NextRelease;
import dev.v2pledger.schema.testing.NoSuchPartition;
import dev.v2pledger.schema.testing.SampleEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@code v2p.schemas} on a real broker: registered once, found by readers, bad entries kept out.
 */
@WithKafka
class LogSchemasIT {
  private static final Schema CURRENT = InstanceEvent.getClassSchema();
  private static final Schema NEXT = NextRelease.of(CURRENT);

  private static String topic(KafkaCluster kafka, String name) throws Exception {
    String topic = "t-" + name + "-v2p.schemas";
    kafka.createTopics(TopicSpec.of(topic, 1).withConfig("cleanup.policy", "compact"));
    return topic;
  }

  private static long end(KafkaCluster kafka, String topic) throws Exception {
    TopicPartition tp = new TopicPartition(topic, 0);
    try (Admin admin = kafka.admin()) {
      return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
    }
  }

  @Test
  void registeringTwiceWritesOnce_andAnotherReaderFindsIt(KafkaCluster kafka) throws Exception {
    String topic = topic(kafka, "twice");
    try (LogSchemas writer = LogSchemas.open(kafka.clientConfig(), topic, Duration.ZERO);
        LogSchemas reader = LogSchemas.open(kafka.clientConfig(), topic, Duration.ZERO)) {
      assertThat(writer.register(List.of(NEXT, CURRENT))).containsExactly(NEXT, CURRENT);
      assertThat(writer.register(List.of(NEXT, CURRENT))).isEmpty();

      assertThat(reader.find(SchemaNormalization.parsingFingerprint64(NEXT))).isEqualTo(NEXT);
      assertThat(end(kafka, topic)).as("records in the topic").isEqualTo(2L);
    }
  }

  /** A write the broker refuses is an error, and the schema is not taken for registered. */
  @Test
  void aRefusedWriteIsAnError_notARegistration(KafkaCluster kafka) throws Exception {
    String topic = "t-refused-v2p.schemas";
    kafka.createTopics(
        TopicSpec.of(topic, 1)
            .withConfig("cleanup.policy", "compact")
            .withConfig("max.message.bytes", "200")); // smaller than any schema
    try (LogSchemas writer = LogSchemas.open(kafka.clientConfig(), topic, Duration.ZERO)) {
      assertThatThrownBy(() -> writer.register(List.of(NEXT)))
          .isInstanceOf(KafkaException.class)
          .hasMessageContaining("cannot register schema " + NEXT.getFullName())
          .hasMessageContaining(topic);
      assertThat(writer.known()).doesNotContainKey(SchemaNormalization.parsingFingerprint64(NEXT));
      assertThat(end(kafka, topic)).isZero();
    }
  }

  @Test
  void aReaderFindsASchemaRegisteredAfterItsFirstMiss(KafkaCluster kafka) throws Exception {
    String topic = topic(kafka, "later");
    long next = SchemaNormalization.parsingFingerprint64(NEXT);
    byte[] bytes =
        NextRelease.encode(
            NEXT, EventCodec.toAvro(SampleEvents.everyType().get(1)), "registered late");
    try (LogSchemas reader = LogSchemas.open(kafka.clientConfig(), topic, Duration.ZERO);
        LogSchemas writer = LogSchemas.open(kafka.clientConfig(), topic, Duration.ZERO)) {
      assertThat(reader.find(next)).isNull();
      writer.register(List.of(NEXT));

      assertThat(new EventCodec(reader).decode(bytes, RecordOrigin.UNKNOWN))
          .isEqualTo(SampleEvents.everyType().get(1));
    }
  }

  @Test
  void entriesThatAreNotAFingerprintAndASchemaAreKeptOut(KafkaCluster kafka) throws Exception {
    String topic = topic(kafka, "bad");
    long next = SchemaNormalization.parsingFingerprint64(NEXT);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "NOT-HEX", NEXT.toString())).get();
      producer.send(new ProducerRecord<>(topic, AvroRecordCodec.hex(next), "{not json")).get();
    }
    try (LogSchemas reader = LogSchemas.open(kafka.clientConfig(), topic, Duration.ZERO)) {
      assertThat(reader.find(next)).isNull();
      assertThat(reader.invalid()).containsOnlyKeys("NOT-HEX", AvroRecordCodec.hex(next));
    }
  }

  /**
   * An entry under the record's fingerprint that is not a schema (a pretty-printed file sent line
   * by line with kafka-console-producer, say) is not "not registered": the error says what is wrong
   * with it, so an operator fixes the entry instead of looking for a missing registration.
   */
  @Test
  void aFingerprintWhoseEntryIsNotASchemaSaysSo(KafkaCluster kafka) throws Exception {
    String topic = topic(kafka, "broken-entry");
    long next = SchemaNormalization.parsingFingerprint64(NEXT);
    byte[] bytes =
        NextRelease.encode(NEXT, EventCodec.toAvro(SampleEvents.everyType().get(1)), "broken");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, AvroRecordCodec.hex(next), "{")).get();
    }
    try (LogSchemas reader = LogSchemas.open(kafka.clientConfig(), topic, Duration.ZERO)) {
      Throwable thrown =
          catchThrowable(() -> new EventCodec(reader).decode(bytes, RecordOrigin.UNKNOWN));

      assertThat(thrown)
          .hasMessageContaining("the entry under it in " + topic + " is not a schema")
          .hasMessageNotContaining("nor is it registered");
    }
  }

  @Test
  void aKeyWrittenByAnotherLibraryIsTrusted_theBytesWereWrittenWithWhatItNames(KafkaCluster kafka)
      throws Exception {
    String topic = topic(kafka, "foreign");
    long foreign = 0x0123456789abcdefL; // what a library with another canonical form computed
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(), new StringSerializer())) {
      producer
          .send(new ProducerRecord<>(topic, AvroRecordCodec.hex(foreign), NEXT.toString()))
          .get();
    }
    try (LogSchemas reader = LogSchemas.open(kafka.clientConfig(), topic, Duration.ZERO)) {
      assertThat(reader.find(foreign)).isEqualTo(NEXT);
      assertThat(AvroRecordCodec.hex(foreign)).isEqualTo("0123456789abcdef");
    }
  }

  @Test
  void aClusterWithoutTheTopicFindsNothing(KafkaCluster kafka) {
    try (LogSchemas reader =
            LogSchemas.open(Map.copyOf(kafka.clientConfig()), "no-such-topic", Duration.ZERO);
        LogSchemas projector =
            LogSchemas.openRetryingWhenGone(kafka.clientConfig(), "no-such-topic", Duration.ZERO)) {
      assertThat(reader.find(42L)).isNull();
      assertThat(projector.find(42L)).as("never found: not registered").isNull();
    }
  }

  /**
   * The topic deleted and made again between two lookups: the new topic is read whole, though it
   * ends below where the old one did, and a writer registers again what only the old one had.
   */
  @Test
  void aTopicMadeAgainBetweenTwoLookups_isReadWhole_andRegisteredAgain(KafkaCluster kafka)
      throws Exception {
    String topic = topic(kafka, "remade");
    long next = SchemaNormalization.parsingFingerprint64(NEXT);
    Schema other = NextRelease.of(CURRENT, "another");
    try (LogSchemas reader =
            LogSchemas.openRetryingWhenGone(kafka.clientConfig(), topic, Duration.ZERO);
        LogSchemas writer = LogSchemas.open(kafka.clientConfig(), topic, Duration.ZERO)) {
      writer.register(List.of(CURRENT, other, NextRelease.of(CURRENT, "third")));
      assertThat(reader.find(next)).as("not registered yet").isNull();
      try (Admin admin = kafka.admin()) {
        admin.deleteTopics(List.of(topic)).all().get();
      }
      kafka.createTopics(TopicSpec.of(topic, 1).withConfig("cleanup.policy", "compact"));

      assertThat(writer.register(List.of(NEXT, CURRENT)))
          .as("CURRENT was in the old topic only")
          .containsExactly(NEXT, CURRENT);
      assertThat(end(kafka, topic)).as("the new topic's end, below the old one's 3").isEqualTo(2L);
      assertThat(reader.find(next)).isEqualTo(NEXT);
    }
  }

  /**
   * The topic deleted and made again (an operator's mistake, mended): meanwhile a lookup of the
   * projector's kind is retriable, another reader's finds nothing; the new topic is read from its
   * beginning, below where the old one ended.
   */
  @Test
  void aTopicGoneIsRetriedByTheProjector_andOneMadeAgainIsReadFromItsBeginning(KafkaCluster kafka)
      throws Exception {
    String topic = topic(kafka, "again");
    long next = SchemaNormalization.parsingFingerprint64(NEXT);
    try (LogSchemas reader =
            LogSchemas.openRetryingWhenGone(kafka.clientConfig(), topic, Duration.ZERO);
        LogSchemas other = LogSchemas.open(kafka.clientConfig(), topic, Duration.ZERO)) {
      try (LogSchemas writer = LogSchemas.open(kafka.clientConfig(), topic, Duration.ZERO)) {
        writer.register(List.of(CURRENT, NextRelease.of(CURRENT, "another")));
      }
      assertThat(reader.find(next)).as("not registered yet").isNull();
      try (Admin admin = kafka.admin()) {
        admin.deleteTopics(List.of(topic)).all().get();
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThatThrownBy(() -> reader.find(next))
                      .isInstanceOf(UnknownTopicOrPartitionException.class)
                      .isInstanceOf(RetriableException.class)
                      .hasMessageContaining(topic + " is gone"));
      assertThat(other.find(next)).isNull();

      kafka.createTopics(TopicSpec.of(topic, 1).withConfig("cleanup.policy", "compact"));
      try (LogSchemas writer = LogSchemas.open(kafka.clientConfig(), topic, Duration.ZERO)) {
        writer.register(List.of(NEXT));
      }
      assertThat(end(kafka, topic)).as("the new topic's end, below the old one's").isEqualTo(1L);

      assertThat(reader.find(next)).isEqualTo(NEXT);
    }
  }

  /**
   * A registration's write waits up to 30 s for a broker that does not take it (here its records go
   * to a partition the topic does not have, as to one whose leader is gone: they wait in the
   * producer until their delivery timeout, 20 s); {@link LogSchemas#stop} ends it at once, as it
   * ends a read: it ended only the read, and a stopped applier's thread waited out the write.
   */
  @Test
  void stopEndsARegistrationsWriteInProgressAtOnce(KafkaCluster kafka) throws Exception {
    String topic = topic(kafka, "unwritable");
    Map<String, Object> config = NoSuchPartition.stalling(kafka.clientConfig());
    try (LogSchemas writer = LogSchemas.open(config, topic, Duration.ZERO)) {
      CompletableFuture<Throwable> registering =
          CompletableFuture.supplyAsync(() -> catchThrowable(() -> writer.register(List.of(NEXT))));
      assertThat(NoSuchPartition.asked(15)).as("the write began").isTrue();
      assertThat(registering).as("the write waits").isNotDone();

      writer.stop();

      assertThat(registering.get(8, TimeUnit.SECONDS)) // the write alone would wait 20 s
          .isInstanceOf(WakeupException.class);
      assertThat(writer.known()).doesNotContainKey(SchemaNormalization.parsingFingerprint64(NEXT));
      assertThat(end(kafka, topic)).isZero();
    }
  }
}
