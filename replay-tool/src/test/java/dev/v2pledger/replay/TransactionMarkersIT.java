package dev.v2pledger.replay;

import static dev.v2pledger.replay.ToolRunner.fixture;
import static dev.v2pledger.replay.ToolRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partitions whose end offset ({@code read_committed}) lies past their last record: aborted
 * transactions and their markers. A read must end at that offset, neither waiting for a record that
 * never comes nor stopping before it, and must not see an aborted letter of {@code v2p.events.dlq}.
 * The tests build on each other, in order.
 */
@WithKafka
@TestMethodOrder(OrderAnnotation.class)
class TransactionMarkersIT {

  @Test
  @Order(1)
  void aLogOfAbortedTransactionsOnly_isEmpty_andTakesAPublish(KafkaCluster kafka, @TempDir Path dir)
      throws Exception {
    TestProjection.createTopics(kafka);
    abortedEverywhere(kafka, List.of());
    Path export = dir.resolve("export.jsonl");

    ToolRunner.Run rebuild = run("rebuild", "--bootstrap-servers", kafka.bootstrapServers());
    ToolRunner.Run exported =
        run("export", "--bootstrap-servers", kafka.bootstrapServers(), "--out", export.toString());
    ToolRunner.Run published = TestProjection.publishRaces(kafka.bootstrapServers());

    assertThat(rebuild.exit()).as(rebuild.err()).isZero();
    assertThat(rebuild.out()).startsWith("instances: 0\n");
    assertThat(exported.exit()).as(exported.err()).isZero();
    assertThat(Files.readAllLines(export)).isEmpty();
    assertThat(published.exit()).as(published.err()).isZero();
  }

  @Test
  @Order(2)
  void eventsBetweenAbortedTransactions_andAnAbortedLetter_foldAsTheFile(
      KafkaCluster kafka, @TempDir Path dir) throws Exception {
    abortedEverywhere(kafka, firstEvents(kafka)); // its letters name real events: never read
    Path export = dir.resolve("export.jsonl");

    ToolRunner.Run fromKafka =
        run("rebuild", "--bootstrap-servers", kafka.bootstrapServers(), "--format", "json");
    ToolRunner.Run fromFile =
        run("rebuild", "--from-file", fixture("races.jsonl").toString(), "--format", "json");
    ToolRunner.Run exported =
        run("export", "--bootstrap-servers", kafka.bootstrapServers(), "--out", export.toString());

    assertThat(fromKafka.exit()).as(fromKafka.err()).isZero();
    assertThat(fromKafka.out()).isEqualTo(fromFile.out());
    assertThat(fromKafka.err()).doesNotContain("dead-lettered them");
    assertThat(exported.exit()).as(exported.err()).isZero();
    assertThat(Files.readAllLines(export)).hasSize(28);

    Path kept = Files.writeString(dir.resolve("kept.jsonl"), "an older export\n");
    Path link = Files.createSymbolicLink(dir.resolve("latest.jsonl"), kept.getFileName());
    ToolRunner.Run throughLink =
        run("export", "--bootstrap-servers", kafka.bootstrapServers(), "--out", link.toString());
    assertThat(throughLink.exit()).as(throughLink.err()).isZero();
    assertThat(link).as("a link to the file it replaces stays a link").isSymbolicLink();
    assertThat(Files.readAllLines(kept)).isEqualTo(Files.readAllLines(export));
  }

  /** The first record of each partition of v2p.events that has one. */
  private static List<ConsumerRecord<byte[], byte[]>> firstEvents(KafkaCluster kafka) {
    Map<Integer, ConsumerRecord<byte[], byte[]>> first = new HashMap<>();
    new dev.v2pledger.runtime.kafka.KafkaAccess(kafka.clientConfig(), Duration.ofSeconds(20))
        .readToEnd(
            Topics.EVENTS,
            record -> {
              first.putIfAbsent(record.partition(), record);
              return false;
            });
    return List.copyOf(first.values());
  }

  /**
   * A transaction that writes junk to every partition of v2p.events and a letter naming each of
   * {@code named} to v2p.events.dlq, then aborts; returns once its markers are in the log (the
   * committed end is the end).
   */
  private static void abortedEverywhere(
      KafkaCluster kafka, List<ConsumerRecord<byte[], byte[]>> named) throws Exception {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "aborting-" + named.size());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (int partition = 0; partition < 3; partition++) {
        producer.send(new ProducerRecord<>(Topics.EVENTS, partition, null, new byte[] {1, 2}));
      }
      for (ConsumerRecord<byte[], byte[]> event : named) {
        producer.send(TestProjection.letter(event, "UNKNOWN_SCHEMA"));
      }
      producer.flush();
      producer.abortTransaction();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!(committedEnd(kafka, Topics.EVENTS) && committedEnd(kafka, Topics.EVENTS_DLQ))) {
      assertThat(System.nanoTime()).as("the abort markers are written").isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(50); // markers land after abortTransaction returns
    }
  }

  private static boolean committedEnd(KafkaCluster kafka, String topic) throws Exception {
    try (Admin admin = kafka.admin()) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < (topic.equals(Topics.EVENTS) ? 3 : 1); p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      return ends(admin, latest, IsolationLevel.READ_COMMITTED)
          .equals(ends(admin, latest, IsolationLevel.READ_UNCOMMITTED));
    }
  }

  /** The end offsets of {@code latest}'s partitions as a reader at {@code level} sees them. */
  private static Map<TopicPartition, Long> ends(
      Admin admin, Map<TopicPartition, OffsetSpec> latest, IsolationLevel level) throws Exception {
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin
        .listOffsets(latest, new ListOffsetsOptions(level))
        .all()
        .get(30, TimeUnit.SECONDS)
        .forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }
}
