package dev.v2pledger.replay;

import static dev.v2pledger.replay.TestProjection.producer;
import static dev.v2pledger.replay.ToolRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.Vni;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify} against {@code v2p.mappings} compares as of the replay's cut: pairs written for
 * later events are not compared (their records as of the cut may be compacted away), and when the
 * projectors' group had not committed the whole cut, the differences are said to be possibly lag.
 * But a record citing an event the log does not hold, or one the log lost, is compared. One
 * partition: offsets 0, 1, 2 move instance A from sled S to sled T; 3 and 4 place B. The tests
 * build on each other, in order.
 */
@WithKafka
@TestMethodOrder(OrderAnnotation.class)
class VerifyCutIT {
  private static final InstanceId A = InstanceId.parse("a0000000-0000-4000-8000-00000000000a");
  private static final InstanceId B = InstanceId.parse("a0000000-0000-4000-8000-00000000000b");
  private static final SledId S = SledId.parse("51ed0000-0000-4000-8000-000000000001");
  private static final SledId T = SledId.parse("51ed0000-0000-4000-8000-000000000002");
  private static final TopicPartition EVENTS_0 = new TopicPartition(Topics.EVENTS, 0);

  @Test
  @Order(1)
  void pairsWrittenForEventsAfterAnEarlierCutAreNotCompared(KafkaCluster kafka) throws Exception {
    kafka.createTopics(
        TopicSpec.of(Topics.EVENTS, 1).withConfig("message.timestamp.type", "LogAppendTime"),
        TopicSpec.of(Topics.EVENTS_DLQ, 1),
        TopicSpec.of(Topics.MAPPINGS, 1).withConfig("cleanup.policy", "compact"));
    publish(kafka, attached(A, "172.30.0.1"), placed(A, 1, S), placed(A, 2, T));
    project(kafka);
    commit(kafka, 3);

    ToolRunner.Run cut = verify(kafka, "--until-offset", "0:1");
    ToolRunner.Run whole = verify(kafka);

    assertThat(cut.exit()).as(cut.out() + cut.err()).isZero();
    assertThat(cut.out())
        .contains(": equal")
        .contains("not compared: 1 (vni, ip) pair(s) written for events after the replay's cut");
    assertThat(whole.exit()).as(whole.out() + whole.err()).isZero();
    assertThat(whole.out()).contains(": equal").doesNotContain("not compared");
  }

  /**
   * From a file, a partition the replay has no event of is bounded at 0: an empty file, or an
   * export cut before its first event, leaves the topic's pairs not compared (every one was EXTRA).
   */
  @Test
  @Order(2)
  void aFileWithNoEventIncludedComparesNothingWrittenForTheLogsEvents(
      KafkaCluster kafka, @TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.jsonl"), "");
    Path export = dir.resolve("export.jsonl");
    assertThat(
            run("export", "--bootstrap-servers", kafka.bootstrapServers(), "--out", "" + export)
                .exit())
        .isZero();

    ToolRunner.Run fromEmpty = verify(kafka, "--from-file", "" + empty);
    ToolRunner.Run beforeAll =
        verify(kafka, "--from-file", "" + export, "--until-time", "2000-01-01T00:00:00Z");

    for (ToolRunner.Run run : List.of(fromEmpty, beforeAll)) {
      assertThat(run.exit()).as(run.out() + run.err()).isZero();
      assertThat(run.out())
          .contains(": equal")
          .contains("not compared: 1 (vni, ip) pair(s) written for events after the replay's cut")
          .doesNotContain("no log positions");
    }
  }

  @Test
  @Order(3)
  void differencesWhileTheProjectorsHadNotCommittedTheCutAreSaidToBePossiblyLag(KafkaCluster kafka)
      throws Exception {
    publish(kafka, attached(B, "172.30.0.2"), placed(B, 3, S)); // offsets 3 and 4, not projected

    ToolRunner.Run lagging = verify(kafka);
    commit(kafka, 5); // committed without the records: not lag any more
    ToolRunner.Run lost = verify(kafka);
    ToolRunner.Run otherGroup = verify(kafka, "--projector-group", "nobody");

    assertThat(lagging.exit()).isEqualTo(1);
    assertThat(lagging.out())
        .contains("1 difference(s)")
        .containsPattern("MISSING\\s+7777/172.30.0.2")
        .contains(
            "group v2p-projector had not projected 2 event(s) of the replay's cut (partition 0:"
                + " committed up to 3 of 5): differences may be lag");
    assertThat(lost.exit()).isEqualTo(1);
    assertThat(lost.out()).contains("1 difference(s)").doesNotContain("may be lag");
    assertThat(otherGroup.out())
        .contains(
            "group nobody has committed nothing in v2p.events: is it the projectors' group"
                + " (--projector-group)?");
  }

  /** A record citing an event the log does not hold is no later event's: it is compared. */
  @Test
  @Order(4)
  void aRecordCitingAnEventPastTheLogsEndIsCompared(KafkaCluster kafka) {
    project(kafka); // B's records: the topic is whole again
    try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
      V2PMapping rogue =
          V2PMapping.set(
              MappingKey.parse("7777/172.30.0.99/1"),
              new V2PTarget(MacAddr.parse("a8:40:25:00:00:99"), underlay(S), S),
              B,
              new NicId(B.value()),
              1);
      producer.send(
          new ProducerRecord<>(
              Topics.MAPPINGS,
              rogue.key().toString().getBytes(),
              new MappingCodec()
                  .encode(new ProjectedMapping(rogue, new EventPosition(0, 999, Instant.now())))));
    }

    ToolRunner.Run run = verify(kafka);

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out())
        .contains("1 difference(s)")
        .containsPattern("EXTRA\\s+7777/172.30.0.99")
        .doesNotContain("not compared");
  }

  /**
   * Events the log lost (deleted by a retention the topic should not have) are before the cut: the
   * pairs they caused are compared, and show as extra; and every command reading the log warns that
   * it no longer starts at offset 0 (rebuild and stats said nothing).
   */
  @Test
  @Order(5)
  void pairsOfEventsTheLogLostAreCompared(KafkaCluster kafka) throws Exception {
    try (Admin admin = kafka.admin()) {
      admin
          .deleteRecords(Map.of(EVENTS_0, RecordsToDelete.beforeOffset(5)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    kafka.createTopics(TopicSpec.of(Topics.ACKS, 1)); // for stats

    ToolRunner.Run run = verify(kafka);
    ToolRunner.Run rebuild = run("rebuild", "--bootstrap-servers", kafka.bootstrapServers());
    ToolRunner.Run stats = run("stats", "--bootstrap-servers", kafka.bootstrapServers());

    String warning =
        ": warning: v2p.events on "
            + kafka.bootstrapServers()
            + " no longer starts at offset 0 in partition(s) 0 (from 5): records there were"
            + " deleted (retention or deleteRecords), and the fold may miss those events";
    assertThat(run.err()).contains("verify" + warning);
    for (ToolRunner.Run other : List.of(rebuild, stats)) {
      assertThat(other.exit()).as(other.err()).isZero();
    }
    // every event was in the records deleted: nothing was folded, and the note says so
    String none =
        ": note: no event was folded: v2p.events on " + kafka.bootstrapServers() + " has none";
    assertThat(rebuild.err().strip()).isEqualTo("rebuild" + warning + "\nrebuild" + none);
    assertThat(stats.err().strip()).isEqualTo("stats" + warning + "\nstats" + none);
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.out())
        .contains("3 difference(s)")
        .containsPattern("EXTRA\\s+7777/172.30.0.1 ")
        .containsPattern("EXTRA\\s+7777/172.30.0.2 ")
        .doesNotContain("not compared");
  }

  /**
   * export of a log whose partition 0 no longer starts at 0 says so in one warning line, as the
   * replays do: the file is the evidence kept, and no replay of it can tell that events are missing
   * (it said nothing, exit 0).
   */
  @Test
  @Order(6)
  void exportOfALogThatLostItsFirstRecords_warnsThatTheyAreNotInTheFile(
      KafkaCluster kafka, @TempDir Path dir) {
    Path out = dir.resolve("export.jsonl");

    ToolRunner.Run export =
        run("export", "--bootstrap-servers", kafka.bootstrapServers(), "--out", out.toString());

    assertThat(export.exit()).as(export.err()).isZero();
    assertThat(export.err().strip())
        .isEqualTo(
            "export: warning: v2p.events on "
                + kafka.bootstrapServers()
                + " no longer starts at offset 0 in partition(s) 0 (from 5): records there were"
                + " deleted (retention or deleteRecords), and the export lacks those events");
  }

  private static ToolRunner.Run verify(KafkaCluster kafka, String... more) {
    String[] args = new String[3 + more.length];
    args[0] = "verify";
    args[1] = "--bootstrap-servers";
    args[2] = kafka.bootstrapServers();
    System.arraycopy(more, 0, args, 3, more.length);
    return run(args);
  }

  private static InstanceEvent attached(InstanceId instance, String ip) {
    return InstanceEvent.of(
        instance,
        new EventPayload.NicAttached(
            new NicId(instance.value()),
            new Vni(7777),
            MacAddr.parse("a8:40:25:00:00:01"),
            List.of(IpAddr.parse(ip)),
            1));
  }

  private static InstanceEvent placed(InstanceId instance, int vmm, SledId sled) {
    return InstanceEvent.of(
        instance,
        new EventPayload.VmmPlaced(
            VmmId.parse(String.format("7a000000-0000-4000-8000-%012d", vmm)),
            sled,
            underlay(sled)));
  }

  private static Ipv6Addr underlay(SledId sled) {
    return Ipv6Addr.parse("fd00:1122:3344:10" + sled.toString().charAt(35) + "::1");
  }

  private static void publish(KafkaCluster kafka, InstanceEvent... events) {
    try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
      for (InstanceEvent event : events) {
        RecordHeaders headers = new RecordHeaders();
        V2PSerde.events().addHeaders(headers);
        producer.send(
            new ProducerRecord<>(
                Topics.EVENTS,
                0,
                null,
                event.key().getBytes(),
                new EventCodec().encode(event),
                headers));
      }
    }
  }

  private static void project(KafkaCluster kafka) {
    try (KafkaProducer<byte[], byte[]> producer = producer(kafka)) {
      TestProjection.project(kafka, producer, 1);
    }
  }

  /** The projectors' group commits {@code offset} in partition 0 of the events. */
  private static void commit(KafkaCluster kafka, long offset) throws Exception {
    try (Admin admin = kafka.admin()) {
      admin
          .alterConsumerGroupOffsets(
              Topics.PROJECTOR_GROUP, Map.of(EVENTS_0, new OffsetAndMetadata(offset)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }
}
