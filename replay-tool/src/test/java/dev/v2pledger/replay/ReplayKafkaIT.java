package dev.v2pledger.replay;

import static dev.v2pledger.replay.ToolRunner.fixture;
import static dev.v2pledger.replay.ToolRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.schema.Partitioning;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.AckCodec;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.domain.ApplierAck;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.VmmId;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay tool against a real broker: the races fixture is published with {@code publish},
 * projected here (fold + one record per emitted mapping, as the projector writes them), and
 * acknowledged by two sleds; then every command reads it back.
 */
@WithKafka
@TestMethodOrder(OrderAnnotation.class)
class ReplayKafkaIT {
  static final SledId SLED_X = SledId.parse("5eed0000-0000-4000-8000-00000000000a");
  static final InstanceId MISROUTED = InstanceId.parse("a0000099-0000-4000-8000-000000000099");
  static final SledId SLED_Y = SledId.parse("5eed0000-0000-4000-8000-00000000000b");
  static String bootstrap;

  @BeforeAll
  static void publishProjectAndAck(KafkaCluster kafka) {
    bootstrap = kafka.bootstrapServers();
    assertThat(TestProjection.createTopicsAndPublishRaces(kafka).out())
        .startsWith("published 28 event(s)");
    try (KafkaProducer<byte[], byte[]> producer = TestProjection.producer(kafka)) {
      producer.send(
          new ProducerRecord<>(Topics.EVENTS, 0, "garbage".getBytes(), new byte[] {1, 2, 3}));
      InstanceEvent elsewhere = // a publisher whose client partitions with CRC32
          InstanceEvent.of(
              MISROUTED,
              new EventPayload.VmmPlaced(
                  VmmId.parse("7a000099-0000-4000-8000-000000000099"),
                  SLED_X,
                  Ipv6Addr.parse("fd00::99")));
      byte[] key = elsewhere.key().getBytes(StandardCharsets.UTF_8);
      producer.send(
          new ProducerRecord<>(
              Topics.EVENTS,
              (Partitioning.partitionOf(key, 3) + 1) % 3,
              key,
              new EventCodec().encode(elsewhere)));
      TestProjection.project(kafka, producer, 3);
      ack(kafka, producer);
    }
  }

  /** Two sleds acknowledge everything written so far. */
  private static void ack(KafkaCluster kafka, KafkaProducer<byte[], byte[]> producer) {
    AckCodec acks = new AckCodec();
    Map<Integer, Long> ends = TestProjection.mappingEnds(kafka);
    for (SledId sled : List.of(SLED_X, SLED_Y)) {
      ends.forEach(
          (partition, end) ->
              producer.send(
                  new ProducerRecord<>(
                      Topics.ACKS,
                      sled.toString().getBytes(),
                      acks.encode(new ApplierAck(sled, partition, end, Instant.now())))));
    }
    producer.flush();
  }

  @Test
  @Order(1)
  void rebuildFromKafkaEqualsRebuildFromTheFileAndReportsThePoisonRecord() {
    ToolRunner.Run fromKafka = run("rebuild", "--bootstrap-servers", bootstrap, "--format", "json");
    ToolRunner.Run fromFile =
        run("rebuild", "--from-file", fixture("races.jsonl").toString(), "--format", "json");

    assertThat(fromKafka.exit()).as(fromKafka.err()).isZero();
    assertThat(fromKafka.out()).isEqualTo(fromFile.out());
    assertThat(fromKafka.err())
        .contains("2 record(s) of v2p.events on " + bootstrap + " were refused")
        .contains("{CORRUPT=1, MISROUTED=1}")
        .containsPattern("[:;] v2p\\.events-0@\\d+: CORRUPT: ") // partitions in no order
        .containsPattern("[:;] v2p\\.events-\\d@\\d+: MISROUTED: ")
        .hasLineCount(1);
  }

  @Test
  @Order(2)
  void exportKeepsPositionsAndReplaysToTheSameState(@TempDir Path dir) throws Exception {
    Path export = dir.resolve("export.jsonl");

    ToolRunner.Run exported =
        run("export", "--bootstrap-servers", bootstrap, "--out", export.toString());
    ToolRunner.Run history =
        run(
            "history",
            "--from-file",
            export.toString(),
            "--instance",
            "a0000001-0000-4000-8000-000000000001");

    assertThat(exported.exit()).as(exported.err()).isZero();
    assertThat(exported.err()).contains("2 record(s) are refused by the projector");
    List<String> lines = Files.readAllLines(export);
    assertThat(lines)
        .hasSize(28)
        .allSatisfy(line -> assertThat(line).contains("\"position\":{\"partition\":"));
    assertThat(run("rebuild", "--from-file", export.toString(), "--format", "json").out())
        .isEqualTo(run("rebuild", "--bootstrap-servers", bootstrap, "--format", "json").out());
    assertThat(history.out()).containsPattern("\\[line \\d+ \\(\\d:\\d+\\)\\] ");
  }

  /**
   * A spool that an export killed with {@code kill -9} left beside its output is removed by the
   * next export there, which says so in one line; its own spool is gone when it ends.
   */
  @Test
  @Order(2)
  void anExportRemovesTheSpoolAKilledExportLeft(@TempDir Path dir) throws Exception {
    Path left = Files.createDirectory(dir.resolve(".export-1234"));
    Files.writeString(
        left.resolve("owner"), deadPid() + "@" + InetAddress.getLocalHost().getHostName());
    Files.writeString(left.resolve("p0"), "1\t{}\n");
    Path export = dir.resolve("export.jsonl");

    ToolRunner.Run exported =
        run("export", "--bootstrap-servers", bootstrap, "--out", export.toString());

    assertThat(exported.exit()).as(exported.err()).isZero();
    assertThat(exported.err())
        .contains("export: removed 1 spool(s) (.export-*) that killed exports had left beside ");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(export);
    }
  }

  /** The pid of a process that has ended. */
  private static long deadPid() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    assertThat(ended.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return ended.pid();
  }

  @Test
  @Order(3)
  void historyFromKafkaShowsWhenEachRecordReachedTheTopicAndEachSled() {
    ToolRunner.Run run =
        run(
            "history",
            "--bootstrap-servers",
            bootstrap,
            "--instance",
            "a0000002-0000-4000-8000-000000000002");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .containsPattern("\\[\\d:\\d+\\] 20\\d\\d-")
        .contains("reached v2p.mappings ")
        .contains("applied: sled " + SLED_X + " +")
        .contains(", sled " + SLED_Y + " +");
  }

  @Test
  @Order(4)
  void statsFromKafkaReportsApplyLatencies() {
    ToolRunner.Run run = run("stats", "--bootstrap-servers", bootstrap);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("refused: 2 {CORRUPT=1, MISROUTED=1}")
        .containsPattern("to v2p.mappings:\\s+n=11 ")
        .containsPattern("applied on all sleds: n=11 ")
        .contains("sled " + SLED_X + ": n=11");

    // --until-offset K:... on every partition: the latencies of the records the events up to it
    // caused, growing with K to all 11 (they counted all 11 whatever the cut)
    List<Integer> counts = new ArrayList<>();
    for (long k : new long[] {0, 3, 6, 12, 1_000_000}) {
      String until = "0:" + k + ",1:" + k + ",2:" + k;
      ToolRunner.Run cut = run("stats", "--bootstrap-servers", bootstrap, "--until-offset", until);
      assertThat(cut.exit()).as(cut.err()).isZero();
      Matcher projected = Pattern.compile("to v2p.mappings:\\s+n=(\\d+) ").matcher(cut.out());
      counts.add(projected.find() ? Integer.parseInt(projected.group(1)) : 0);
    }
    assertThat(counts).as("by cut").isSorted().last().isEqualTo(11);
    assertThat(counts).as("by cut").anyMatch(n -> n > 0 && n < 11);
  }

  @Test
  @Order(5)
  void untilFirstOffsetOfEveryPartitionFoldsOneEventPerPartition() throws Exception {
    ToolRunner.Run run =
        run(
            "rebuild",
            "--bootstrap-servers",
            bootstrap,
            "--format",
            "json",
            "--until-offset",
            "0:0,1:0,2:0");

    assertThat(run.exit()).as(run.err()).isZero();
    int instances = new ObjectMapper().readTree(run.out()).get("instances").size();
    assertThat(instances).isBetween(1, 3);

    run("rebuild", "--bootstrap-servers", bootstrap, "--until-offset", "4")
        .assertUsageError(
            "rebuild: --until-offset: 4 is a line number, which only a file has (give"
                + " PARTITION:OFFSET)");
    run("rebuild", "--bootstrap-servers", bootstrap, "--until-offset", "0:0,99:5")
        .assertUsageError("rebuild: --until-offset: v2p.events has no partition 99 (it has 3)");
  }

  @Test
  @Order(6)
  void publishRefusesAClusterThatAlreadyHasEvents() {
    ToolRunner.Run run = TestProjection.publishRaces(bootstrap);

    run.assertUsageError(
        "publish: v2p.events on "
            + bootstrap
            + " already holds records; use --append to add to them");
  }

  @Test
  @Order(7)
  void verifyAgainstTheTopicIsEqualUntilTheTopicIsTamperedWith(KafkaCluster kafka) {
    ToolRunner.Run before = run("verify", "--bootstrap-servers", bootstrap);
    try (KafkaProducer<byte[], byte[]> producer = TestProjection.producer(kafka)) {
      V2PMapping wrong =
          V2PMapping.set(
              MappingKey.parse("7777/172.30.0.2/1"),
              new V2PTarget(
                  MacAddr.parse("a8:40:25:00:00:02"),
                  Ipv6Addr.parse("fd00:1122:3344:101::1"),
                  SledId.parse("51ed0000-0000-4000-8000-000000000001")),
              InstanceId.parse("a0000002-0000-4000-8000-000000000002"),
              NicId.parse("1c000002-0000-4000-8000-000000000002"),
              99);
      producer.send(
          new ProducerRecord<>(
              Topics.MAPPINGS,
              "7777/172.30.0.2/1".getBytes(),
              new MappingCodec()
                  .encode(new ProjectedMapping(wrong, new EventPosition(0, 0, Instant.now())))));
    }
    ToolRunner.Run after = run("verify", "--bootstrap-servers", bootstrap);

    assertThat(before.exit()).as(before.out() + before.err()).isZero();
    assertThat(before.out()).contains("vs v2p.mappings on " + bootstrap + ": equal");
    assertThat(after.exit()).isEqualTo(1);
    assertThat(after.out())
        .contains("1 difference(s)")
        .containsPattern(
            "DIFFERENT\\s+7777/172.30.0.2\\s+expected: 7777/172.30.0.2/1 SET -> sled 51ed0000-0000-4000-8000-000000000002 .* v\\(1, 2\\); found: .*sled 51ed0000-0000-4000-8000-000000000001 .* v\\(1, 99\\)");
  }

  /**
   * Tombstones of the key (in every partition, as the projector writes them) that name a lower
   * generation than the record in force leave it (the appliers' rule); one whose header is not a
   * generation is ignored. Then a record that does not decode: every applier holds it, so verify
   * says so and does not call the topic equal.
   */
  @Test
  @Order(8)
  void verifyAgainstTheTopicReadsTombstonesAndUndecodableRecordsAsTheAppliersDo(
      KafkaCluster kafka) {
    ToolRunner.Run before = run("verify", "--bootstrap-servers", bootstrap);
    try (KafkaProducer<byte[], byte[]> producer = TestProjection.producer(kafka)) {
      for (int partition = 0; partition < 3; partition++) {
        ProducerRecord<byte[], byte[]> older =
            new ProducerRecord<>(Topics.MAPPINGS, partition, "7777/172.30.0.2/1".getBytes(), null);
        older.headers().add(Topics.HEADER_TOMBSTONE_UP_TO, "98".getBytes());
        producer.send(older);
        ProducerRecord<byte[], byte[]> malformed =
            new ProducerRecord<>(Topics.MAPPINGS, partition, "7777/172.30.0.2/1".getBytes(), null);
        malformed.headers().add(Topics.HEADER_TOMBSTONE_UP_TO, "many".getBytes());
        producer.send(malformed);
      }
    }
    ToolRunner.Run tombstoned = run("verify", "--bootstrap-servers", bootstrap);
    try (KafkaProducer<byte[], byte[]> producer = TestProjection.producer(kafka)) {
      producer.send(
          new ProducerRecord<>(
              Topics.MAPPINGS, "7777/172.30.0.9/1".getBytes(), new byte[] {(byte) 0xC3, 1, 2}));
    }
    ToolRunner.Run undecodable = run("verify", "--bootstrap-servers", bootstrap);

    assertThat(tombstoned.out()).as(tombstoned.err()).isEqualTo(before.out());
    assertThat(tombstoned.exit()).isEqualTo(before.exit());
    assertThat(undecodable.exit()).isEqualTo(1);
    assertThat(undecodable.out())
        .contains(": 1 record(s) that do not decode or are not under their own key (every applier")
        .doesNotContain("equal");
  }

  /**
   * publish reads the file twice, keeping none of it: a bad line anywhere publishes nothing; an
   * event whose exported position is not its key's partition is named as misrouted there.
   */
  @Test
  @Order(9)
  void publishValidatesTheWholeFileFirst_andNamesEventsMisroutedWhereTheyCameFrom(
      @TempDir Path dir, KafkaCluster kafka) throws Exception {
    List<String> races = Files.readAllLines(fixture("races.jsonl"));
    String first = races.get(0);
    InstanceId instance = InstanceId.parse("a0000001-0000-4000-8000-000000000001");
    int elsewhere = (Partitioning.partitionOf(instance.toString(), 3) + 1) % 3;
    Path bad = dir.resolve("bad.jsonl");
    Files.write(bad, List.of(first, first, "{\"type\":\"VmmPlaced\"}"));
    Path misrouted = dir.resolve("misrouted.jsonl");
    Files.writeString(
        misrouted,
        first.substring(0, first.length() - 1)
            + ",\"position\":{\"partition\":"
            + elsewhere
            + ",\"offset\":7,\"timestamp\":\"2026-11-23T03:10:01Z\"}}\n");
    long before = eventCount(kafka);

    ToolRunner.Run refused =
        run("publish", "--from-file", bad.toString(), "--bootstrap-servers", bootstrap, "--append");
    long afterRefused = eventCount(kafka);
    ToolRunner.Run published =
        run(
            "publish",
            "--from-file",
            misrouted.toString(),
            "--bootstrap-servers",
            bootstrap,
            "--append");

    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains(bad + ": line 3: ").endsWith("(nothing was published)\n");
    assertThat(afterRefused).isEqualTo(before);
    assertThat(published.exit()).as(published.err()).isZero();
    assertThat(published.out())
        .contains("published 1 event(s)")
        .contains("1 of them sat in another partition than their key's");
    assertThat(eventCount(kafka)).isEqualTo(before + 1);
  }

  private static long eventCount(KafkaCluster kafka) {
    long[] count = {0};
    new KafkaAccess(kafka.clientConfig(), Duration.ofSeconds(20))
        .readToEnd(Topics.EVENTS, record -> ++count[0] > 0);
    return count[0];
  }

  /** {@code publish --from-file races.jsonl} to this test's cluster. */
}
