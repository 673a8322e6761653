package dev.v2pledger.replay;

import static dev.v2pledger.replay.LetteredEvents.NEXT;
import static dev.v2pledger.replay.LetteredEvents.attached;
import static dev.v2pledger.replay.LetteredEvents.placed;
import static dev.v2pledger.replay.LetteredEvents.send;
import static dev.v2pledger.replay.ToolRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.registry.LogSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newer publisher's {@code NicAttached} whose schema was not registered when the projector read
 * it: the projector dead-lettered it ({@code UNKNOWN_SCHEMA}), so its instance has a VMM and no
 * mapping. Its schema is registered afterwards, and this build then decodes the event; the replay
 * tool used to fold it, so {@code verify} found a mapping the projector never wrote and {@code
 * rebuild} showed one. The commands now leave out the events {@code v2p.events.dlq} names, and say
 * how many.
 */
@WithKafka
@TestMethodOrder(OrderAnnotation.class)
class DeadLetteredIT {
  static final InstanceId KEPT = InstanceId.parse("a0000001-0000-4000-8000-000000000001");
  static final InstanceId LATE = InstanceId.parse("a0000002-0000-4000-8000-000000000002");
  static final String LATE_IP = "172.30.5.2";
  static String bootstrap;
  static String lettered;

  @TempDir static Path dir;

  @BeforeAll
  static void publishProjectThenRegisterLate(KafkaCluster kafka) throws Exception {
    TestProjection.createTopics(kafka);
    bootstrap = kafka.bootstrapServers();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            kafka.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      send(producer, KEPT, attached(KEPT, 1, "172.30.5.1"), false);
      send(producer, KEPT, placed(KEPT, 1), false);
      int partition = send(producer, LATE, attached(LATE, 2, LATE_IP), true).partition();
      send(producer, LATE, placed(LATE, 2), false);
      lettered = "v2p.events-" + partition + "@0";
      TestProjection.project(kafka, producer, 3); // knows no schema but its own, as then
    }
    try (LogSchemas schemas = LogSchemas.open(kafka.clientConfig())) {
      assertThat(schemas.register(List.of(NEXT))).hasSize(1); // registered late
    }
  }

  private String skipped(String command) {
    return command
        + ": 1 event(s) of v2p.events on "
        + bootstrap
        + " decode here but the projector dead-lettered them {UNKNOWN_SCHEMA=1} (see"
        + " v2p.events.dlq): not folded, as the projector folded none of them; first: "
        + lettered;
  }

  @Test
  @Order(1)
  void verify_leavesOutTheEventTheProjectorDeadLettered_andAgreesWithTheTopic() {
    ToolRunner.Run verify = run("verify", "--bootstrap-servers", bootstrap);

    assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("equal");
    assertThat(verify.err().strip()).isEqualTo(skipped("verify"));
  }

  @Test
  @Order(2)
  void rebuildHistoryAndStats_leaveItOut_andSaySo() {
    ToolRunner.Run rebuild = run("rebuild", "--bootstrap-servers", bootstrap);
    ToolRunner.Run history =
        run("history", "--bootstrap-servers", bootstrap, "--instance", LATE.toString());
    ToolRunner.Run stats = run("stats", "--bootstrap-servers", bootstrap);

    assertThat(rebuild.exit()).as(rebuild.err()).isZero();
    assertThat(rebuild.out()).contains("172.30.5.1").doesNotContain(LATE_IP);
    assertThat(rebuild.err().strip()).isEqualTo(skipped("rebuild"));
    assertThat(history.exit()).as(history.err()).isZero();
    assertThat(history.out()).contains("VmmPlaced").doesNotContain("NicAttached");
    assertThat(history.err()).contains(skipped("history"));
    assertThat(stats.exit()).as(stats.err()).isZero();
    assertThat(stats.out()).contains("refused: 1 {UNKNOWN_SCHEMA=1}");
    assertThat(stats.err()).contains(skipped("stats"));
  }

  /** An export leaves it out as well; a replay of a file says it cannot know. */
  @Test
  @Order(3)
  void export_leavesItOut_andAFileReplaySaysItCannotKnow() throws Exception {
    Path file = dir.resolve("export.jsonl");
    ToolRunner.Run export =
        run("export", "--bootstrap-servers", bootstrap, "--out", file.toString());
    ToolRunner.Run fromFile = run("rebuild", "--from-file", file.toString());
    ToolRunner.Run fromKafka = run("rebuild", "--bootstrap-servers", bootstrap);

    assertThat(export.exit()).as(export.err()).isZero();
    assertThat(export.out()).startsWith("exported 3 event(s)");
    assertThat(export.err().strip())
        .isEqualTo(
            "export: 1 event(s) decode here but the projector dead-lettered them"
                + " {UNKNOWN_SCHEMA=1} and are not in the export (see v2p.events.dlq)");
    assertThat(Files.readString(file)).doesNotContain(LATE_IP);
    assertThat(fromFile.out()).isEqualTo(fromKafka.out());
    assertThat(fromFile.err().strip())
        .isEqualTo(
            "rebuild: note: a file does not say which events the projector dead-lettered: one in"
                + " it that decodes is folded (export leaves out those v2p.events.dlq named when"
                + " it wrote the file)");
  }

  /** Letters deleted (retention, deleteRecords): the event is folded, with a warning. */
  @Test
  @Order(4)
  void lettersDeleted_foldTheEvent_withAWarning(KafkaCluster kafka) throws Exception {
    try (Admin admin = kafka.admin()) {
      admin
          .deleteRecords(
              Map.of(new TopicPartition(Topics.EVENTS_DLQ, 0), RecordsToDelete.beforeOffset(1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }

    ToolRunner.Run rebuild = run("rebuild", "--bootstrap-servers", bootstrap);

    assertThat(rebuild.exit()).as(rebuild.err()).isZero();
    assertThat(rebuild.out()).contains(LATE_IP);
    assertThat(rebuild.err().strip())
        .isEqualTo(
            "rebuild: warning: v2p.events.dlq no longer starts at offset 0 in partition(s) 0"
                + " (from 1): letters there were deleted: events the projector dead-lettered may"
                + " not be known, and one that decodes here is folded");
  }
}
