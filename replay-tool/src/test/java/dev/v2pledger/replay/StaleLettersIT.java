package dev.v2pledger.replay;

import static dev.v2pledger.replay.LetteredEvents.attached;
import static dev.v2pledger.replay.LetteredEvents.placed;
import static dev.v2pledger.replay.LetteredEvents.send;
import static dev.v2pledger.replay.ToolRunner.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.InstanceId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
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
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> !admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(Topics.EVENTS));
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
    offsets.add(at(send(producer, KEPT, attached(KEPT, 11, "172.30.6.1"), false)));
    offsets.add(at(send(producer, KEPT, placed(KEPT, 11), false)));
    offsets.add(at(send(producer, LATE, attached(LATE, 12, LATE_IP), newer)));
    offsets.add(at(send(producer, LATE, placed(LATE, 12), false)));
    return offsets;
  }

  /** A record's position as one number. */
  private static long at(RecordMetadata written) {
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
