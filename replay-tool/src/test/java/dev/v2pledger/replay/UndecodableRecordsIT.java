package dev.v2pledger.replay;

import static dev.v2pledger.replay.ToolRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.AckCodec;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.domain.ApplierAck;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.V2PMapping;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One sled's acks are written with a schema this build does not know (a newer applier whose schema
 * is not registered), and so is one record of {@code v2p.mappings}: they cover nothing here, and
 * {@code stats} and {@code history} say so on stderr instead of leaving them out without a word.
 */
@WithKafka
class UndecodableRecordsIT {
  static final SledId OLD = SledId.parse("5eed0000-0000-4000-8000-00000000000a");
  static final SledId NEW = SledId.parse("5eed0000-0000-4000-8000-00000000000b");
  static String bootstrap;

  @BeforeAll
  static void publishProjectAndAck(KafkaCluster kafka) {
    bootstrap = kafka.bootstrapServers();
    TestProjection.createTopicsAndPublishRaces(kafka);
    try (KafkaProducer<byte[], byte[]> producer = TestProjection.producer(kafka)) {
      TestProjection.project(kafka, producer, 3);
      Map<Integer, Long> ends = TestProjection.mappingEnds(kafka);
      AckCodec acks = new AckCodec();
      ends.forEach(
          (partition, end) -> {
            for (SledId sled : new SledId[] {OLD, NEW}) {
              byte[] value = acks.encode(new ApplierAck(sled, partition, end, Instant.now()));
              if (sled.equals(NEW)) {
                value[2] ^= 0x5a; // another writer schema's fingerprint, registered nowhere
              }
              producer.send(new ProducerRecord<>(Topics.ACKS, sled.toString().getBytes(), value));
            }
          });
      byte[] mapping = // a record of a newer projector whose schema is registered nowhere
          new MappingCodec()
              .encode(
                  new ProjectedMapping(
                      V2PMapping.cleared(
                          MappingKey.parse("7777/172.30.9.9/1"),
                          InstanceId.parse("a0000009-0000-4000-8000-000000000009"),
                          NicId.parse("11111111-2222-4333-8444-555555555599"),
                          1),
                      new EventPosition(0, 0, Instant.now())));
      mapping[2] ^= 0x5a;
      producer.send(
          new ProducerRecord<>(Topics.MAPPINGS, 0, "7777/172.30.9.9/1".getBytes(), mapping));
      producer.flush();
    }
  }

  @Test
  void statsSaysThatRecordsDoNotDecode() {
    ToolRunner.Run run = run("stats", "--bootstrap-servers", bootstrap);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("sled " + OLD + ": n=11").doesNotContain(NEW.toString());
    assertThat(run.err())
        .contains("stats: 1 record(s) of v2p.mappings do not decode")
        .containsPattern(
            "stats: \\d+ record\\(s\\) of v2p.acks do not decode .*; first: v2p.acks-0@\\d+: unknown"
                + " schema: ");
  }

  @Test
  void historySaysThatRecordsDoNotDecode() {
    ToolRunner.Run run =
        run(
            "history",
            "--bootstrap-servers",
            bootstrap,
            "--instance",
            "a0000002-0000-4000-8000-000000000002");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("applied: sled " + OLD + " +").doesNotContain(NEW.toString());
    assertThat(run.err())
        .contains("history: 1 record(s) of v2p.mappings do not decode")
        .containsPattern("history: \\d+ record\\(s\\) of v2p.acks do not decode");
  }
}
