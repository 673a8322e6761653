package dev.v2pledger.replay;

import static dev.v2pledger.replay.ToolRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Partitioning;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.Vni;
import dev.v2pledger.schema.testing.NextRelease;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test rack reset: the projector dead-lettered an event of {@code v2p.events} (a newer
 * publisher's, its schema registered nowhere), then {@code v2p.events} was deleted and made again
 * while {@code v2p.events.dlq} was kept, and the same instances' events were published anew, all
 * decodable: one of them now sits where the dead-lettered event sat. The letter was written for the
 * old record, not for this one, so the replay folds it (it used to be left out, and the rebuilt
 * state silently lacked its mapping), and says once that a letter names a record no longer there.
 */
@WithKafka
class StaleLettersIT {
  static final InstanceId KEPT = InstanceId.parse("a0000011-0000-4000-8000-000000000011");
  static final InstanceId LATE = InstanceId.parse("a0000012-0000-4000-8000-000000000012");
  static final String LATE_IP = "172.30.6.2";
  static final Schema NEXT =
      NextRelease.of(dev.v2pledger.schema.avro.InstanceEvent.getClassSchema());
  static final String STALE =
      ": note: 1 letter(s) of v2p.events.dlq name a record no longer in v2p.events (1 with"
          + " another record at its position): they leave nothing out (the topic was made again,"
          + " or records deleted, since they were written)";
  static String bootstrap;

  @TempDir static Path dir;

  @BeforeAll
  static void letterAnEvent_thenMakeTheEventsTopicAgain(KafkaCluster kafka) throws Exception {
    TestProjection.createTopics(kafka);
    bootstrap = kafka.bootstrapServers();
    List<Long> positions;
    try (KafkaProducer<byte[], byte[]> producer = TestProjection.producer(kafka)) {
      positions = publish(producer, true);
      TestProjection.project(kafka, producer, 3); // letters LATE's NicAttached: UNKNOWN_SCHEMA
    }
    ToolRunner.Run before = run("rebuild", "--bootstrap-servers", bootstrap);
    assertThat(before.out()).as("refused, as the projector did").doesNotContain(LATE_IP);

    try (Admin admin = kafka.admin()) {
      admin.deleteTopics(List.of(Topics.EVENTS)).all().get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(Topics.EVENTS)) {
        assertThat(System.nanoTime()).as("v2p.events deleted").isLessThan(deadline);
        Thread.sleep(100);
      }
    }
    kafka.createTopics(
        TopicSpec.of(Topics.EVENTS, 3).withConfig("message.timestamp.type", "LogAppendTime"));
    try (KafkaProducer<byte[], byte[]> producer = TestProjection.producer(kafka)) {
      assertThat(publish(producer, false)).as("the same positions").isEqualTo(positions);
    }
  }

  /**
   * KEPT's NicAttached and VmmPlaced, then LATE's, LATE's NicAttached with the unregistered schema
   * when {@code newer}: the offset of each.
   */
  private static List<Long> publish(KafkaProducer<byte[], byte[]> producer, boolean newer)
      throws Exception {
    List<Long> offsets = new ArrayList<>();
    offsets.add(send(producer, KEPT, attached(KEPT, 1, "172.30.6.1"), false));
    offsets.add(send(producer, KEPT, placed(KEPT, 1), false));
    offsets.add(send(producer, LATE, attached(LATE, 2, LATE_IP), newer));
    offsets.add(send(producer, LATE, placed(LATE, 2), false));
    return offsets;
  }

  private static InstanceEvent attached(InstanceId id, int n, String ip) {
    return InstanceEvent.of(
        id,
        new EventPayload.NicAttached(
            NicId.parse("11111111-2222-4333-8444-55555555556" + n),
            new Vni(7777),
            MacAddr.parse("a8:40:25:00:01:0" + n),
            List.of(IpAddr.parse(ip)),
            1));
  }

  private static InstanceEvent placed(InstanceId id, int n) {
    return InstanceEvent.of(
        id,
        new EventPayload.VmmPlaced(
            VmmId.parse("7a000000-0000-4000-8000-00000000001" + n),
            SledId.parse("51ed0000-0000-4000-8000-00000000001" + n),
            Ipv6Addr.parse("fd00::1" + n)));
  }

  /** Sends {@code event} to its key's partition ({@code newer}: unregistered schema): offset. */
  private static long send(
      KafkaProducer<byte[], byte[]> producer, InstanceId id, InstanceEvent event, boolean newer)
      throws Exception {
    byte[] key = id.toString().getBytes(StandardCharsets.UTF_8);
    byte[] value =
        newer
            ? NextRelease.encode(NEXT, EventCodec.toAvro(event), "a newer publisher")
            : new EventCodec().encode(event);
    RecordMetadata written =
        producer
            .send(new ProducerRecord<>(Topics.EVENTS, Partitioning.partitionOf(key, 3), key, value))
            .get(30, TimeUnit.SECONDS);
    return written.partition() * 1_000_000L + written.offset();
  }

  @Test
  void rebuild_foldsTheEventNowAtTheLetteredPosition_andSaysTheLetterIsStale() {
    ToolRunner.Run rebuild = run("rebuild", "--bootstrap-servers", bootstrap);
    ToolRunner.Run history =
        run("history", "--bootstrap-servers", bootstrap, "--instance", LATE.toString());

    assertThat(rebuild.exit()).as(rebuild.err()).isZero();
    assertThat(rebuild.out()).contains("172.30.6.1").contains(LATE_IP);
    assertThat(rebuild.err().strip()).isEqualTo("rebuild" + STALE);
    assertThat(history.exit()).as(history.err()).isZero();
    assertThat(history.out()).contains("NicAttached").contains("VmmPlaced");
    assertThat(history.err()).contains("history" + STALE).doesNotContain("dead-lettered them");
  }

  @Test
  void export_keepsTheEvent_andAFileReplayFoldsItAsKafkaDoes() throws Exception {
    Path file = dir.resolve("export.jsonl");
    ToolRunner.Run export =
        run("export", "--bootstrap-servers", bootstrap, "--out", file.toString());
    ToolRunner.Run fromFile = run("rebuild", "--from-file", file.toString());
    ToolRunner.Run fromKafka = run("rebuild", "--bootstrap-servers", bootstrap);

    assertThat(export.exit()).as(export.err()).isZero();
    assertThat(export.out()).startsWith("exported 4 event(s)");
    assertThat(export.err().strip()).isEqualTo("export" + STALE);
    assertThat(Files.readString(file)).contains(LATE_IP);
    assertThat(fromFile.out()).isEqualTo(fromKafka.out()).contains(LATE_IP);
  }
}
