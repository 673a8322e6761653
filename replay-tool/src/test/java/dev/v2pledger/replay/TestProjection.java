package dev.v2pledger.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.FoldResult;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.EventAdmission;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.codec.SchemaSource;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the projector writes, minus the transactions and the group: every event of {@code
 * v2p.events} folded from the start, its records written with their cause, and a letter in {@code
 * v2p.events.dlq} naming each event it refuses (with the headers a reader goes by). Writing again
 * what was written before changes no table (the same versions).
 */
final class TestProjection {
  private TestProjection() {}

  /** The topics the replay tool reads, as {@code init-topics} makes them (3 event partitions). */
  static void createTopics(KafkaCluster kafka) {
    kafka.createTopics(
        TopicSpec.of(Topics.EVENTS, 3).withConfig("message.timestamp.type", "LogAppendTime"),
        TopicSpec.of(Topics.EVENTS_DLQ, 1),
        TopicSpec.of(Topics.MAPPINGS, 3).withConfig("cleanup.policy", "compact"),
        TopicSpec.of(Topics.ACKS, 1),
        TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));
  }

  /** {@code publish} of the races fixture to {@code bootstrap}. */
  static ToolRunner.Run publishRaces(String bootstrap) {
    return ToolRunner.run(
        "publish",
        "--from-file",
        ToolRunner.fixture("races.jsonl").toString(),
        "--bootstrap-servers",
        bootstrap);
  }

  /** The topics made and the races fixture published to them, which must succeed: its run. */
  static ToolRunner.Run createTopicsAndPublishRaces(KafkaCluster kafka) {
    createTopics(kafka);
    ToolRunner.Run published = publishRaces(kafka.bootstrapServers());
    assertThat(published.exit()).as(published.err()).isZero();
    return published;
  }

  /** A producer of raw keys and values to {@code kafka}. */
  static KafkaProducer<byte[], byte[]> producer(KafkaCluster kafka) {
    return new KafkaProducer<>(
        kafka.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** The end offset of each partition of {@code v2p.mappings} that holds records. */
  static Map<Integer, Long> mappingEnds(KafkaCluster kafka) {
    Map<Integer, Long> ends = new HashMap<>();
    new KafkaAccess(kafka.clientConfig(), Duration.ofSeconds(20))
        .readToEnd(
            Topics.MAPPINGS,
            record -> {
              ends.merge(record.partition(), record.offset() + 1, Math::max);
              return true;
            });
    return ends;
  }

  static void project(
      KafkaCluster kafka, KafkaProducer<byte[], byte[]> producer, int eventPartitions) {
    Map<InstanceId, InstanceState> states = new HashMap<>();
    EventAdmission admission = new EventAdmission(SchemaSource.none());
    MappingCodec mappings = new MappingCodec();
    new KafkaAccess(kafka.clientConfig(), Duration.ofSeconds(20))
        .readToEnd(
            Topics.EVENTS,
            record -> {
              EventAdmission.Verdict verdict = admission.judge(record, eventPartitions);
              if (!verdict.admitted()) {
                producer.send(letter(record, verdict.reason().name()));
                return true;
              }
              InstanceEvent event = verdict.event();
              FoldResult result =
                  Fold.apply(
                      states.getOrDefault(
                          event.instanceId(), InstanceState.empty(event.instanceId())),
                      event);
              states.put(event.instanceId(), result.state());
              EventPosition cause =
                  new EventPosition(
                      record.partition(),
                      record.offset(),
                      Instant.ofEpochMilli(record.timestamp()));
              for (V2PMapping mapping : result.records()) {
                producer.send(
                    new ProducerRecord<>(
                        Topics.MAPPINGS,
                        mapping.key().toString().getBytes(),
                        mappings.encode(new ProjectedMapping(mapping, cause))));
              }
              return true;
            });
    producer.flush();
  }

  /** The dead letter of {@code poison}, with the headers that name it, as the projector's. */
  static ProducerRecord<byte[], byte[]> letter(
      ConsumerRecord<byte[], byte[]> poison, String reason) {
    ProducerRecord<byte[], byte[]> letter =
        new ProducerRecord<>(Topics.EVENTS_DLQ, null, poison.key(), poison.value());
    letter.headers().add(Topics.HEADER_DLQ_REASON, utf8(reason));
    letter.headers().add(Topics.HEADER_DLQ_TOPIC, utf8(poison.topic()));
    letter.headers().add(Topics.HEADER_DLQ_PARTITION, utf8(Integer.toString(poison.partition())));
    letter.headers().add(Topics.HEADER_DLQ_OFFSET, utf8(Long.toString(poison.offset())));
    letter.headers().add(Topics.HEADER_DLQ_TIMESTAMP, utf8(Long.toString(poison.timestamp())));
    return letter;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
