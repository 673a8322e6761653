package dev.v2pledger.projector.runner;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.metrics.ProjectorMetrics;
import dev.v2pledger.projector.testing.HangingTransactionWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction its coordinator knows is never taken for a hanging one, whether it is open or done;
 * only an open transaction no coordinator has in progress is (the fault runs meet those after
 * broker restarts; {@link HangingTransactionWriter} makes one on purpose), and it is aborted only
 * when a second check finds it too.
 */
@WithKafka
class HangingTransactionsIT {
  @Test
  void openOrCommittedTransactionsOfALiveProducerAreNotHanging(KafkaCluster kafka)
      throws Exception {
    String topic = "hanging-it";
    kafka.createTopics(List.of(TopicSpec.of(topic, 2)));
    TopicPartition p0 = new TopicPartition(topic, 0);
    TopicPartition p1 = new TopicPartition(topic, 1);
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "hanging-it");
    try (Admin admin = Admin.create(kafka.clientConfig());
        KafkaProducer<String, String> producer =
            new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      HangingTransactions hanging = new HangingTransactions(admin, 30_000);
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, 0, "k", "v")).get();

      assertThat(admin.describeProducers(List.of(p0)).all().get().get(p0).activeProducers())
          .as("the partition holds an open transaction")
          .anyMatch(p -> p.currentTransactionStartOffset().isPresent());
      assertThat(hanging.find(List.of(p0, p1))).as("open, but its coordinator has it").isEmpty();

      // the watch sees the partition held past its bound, asks, and leaves the transaction alone
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (HangingWatch watch =
          HangingWatch.unscheduled(
              List.of(topic),
              Admin.create(kafka.clientConfig()),
              Duration.ofMillis(1),
              new ProjectorMetrics(registry, "it"))) {
        assertThat(watch.check(0)).as("held, but not for long yet").isEmpty();
        assertThat(watch.check(Duration.ofSeconds(1).toNanos()))
            .as("held past the bound: examined")
            .containsExactly(p0);
      }
      assertThat(registry.get("v2p.projector.hanging.transactions.aborted").counter().count())
          .isZero();

      producer.commitTransaction();
      assertThat(hanging.find(List.of(p0, p1))).as("committed").isEmpty();
      // its commit markers are written after commitTransaction returns (transaction version 2):
      // the record becomes visible to read_committed readers shortly; an aborted one never would
      Awaitility.await()
          .atMost(Duration.ofSeconds(15))
          .untilAsserted(
              () ->
                  assertThat(readCommitted(kafka, p0))
                      .as("the transaction was not aborted")
                      .isEqualTo(1));
    }
  }

  @Test
  void aHangingTransactionIsAbortedOnceTwoChecksFindIt(@TempDir Path dir) throws Exception {
    try (EmbeddedKafkaBroker kafka = HangingTransactionWriter.broker(dir)) {
      kafka.createTopics(List.of(TopicSpec.of("hung", 1)));
      TopicPartition p0 = new TopicPartition("hung", 0);
      long offset =
          HangingTransactionWriter.write(
              kafka, "ghost", p0, "k".getBytes(UTF_8), "v".getBytes(UTF_8));
      try (Admin admin = Admin.create(kafka.clientConfig())) {
        HangingTransactions hanging = new HangingTransactions(admin, 30_000);
        assertThat(hanging.find(List.of(p0)))
            .as("open, and its coordinator has nothing in progress")
            .singleElement()
            .satisfies(h -> assertThat(h.startOffset()).isEqualTo(offset));

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (HangingWatch watch =
            HangingWatch.unscheduled(
                List.of("hung"),
                Admin.create(kafka.clientConfig()),
                Duration.ofMillis(1),
                new ProjectorMetrics(registry, "it"))) {
          watch.check(0);
          assertThat(watch.check(Duration.ofSeconds(1).toNanos())).containsExactly(p0);
        }
        assertThat(registry.get("v2p.projector.hanging.transactions.found").counter().count())
            .as("the watch reports it")
            .isEqualTo(1);
        assertThat(stableOffset(admin, p0)).as("and never aborts it").isEqualTo(offset);

        List<HangingTransactions.Hanging> prepared = new ArrayList<>();
        HangingTransactions.Resolved first =
            hanging.resolve(List.of(p0), "b", Set.of(), prepared::add);
        assertThat(first.found()).hasSize(1);
        assertThat(first.aborted()).as("one check alone aborts nothing").isEmpty();
        assertThat(prepared).isEmpty();
        assertThat(stableOffset(admin, p0)).as("still held").isEqualTo(offset);

        Set<String> seen = Set.of(first.found().get(0).id());
        assertThatThrownBy(
                () ->
                    hanging.resolve(
                        List.of(p0),
                        "b",
                        seen,
                        h -> {
                          throw new KafkaException("cannot note where to fold again");
                        }))
            .hasMessageContaining("fold again");
        assertThat(stableOffset(admin, p0))
            .as("what fails before an abort prevents it")
            .isEqualTo(offset);

        HangingTransactions.Resolved second =
            hanging.resolve(List.of(p0), "b", seen, prepared::add);
        assertThat(second.aborted()).as("found by the check before too").hasSize(1);
        assertThat(prepared).as("prepared for, then aborted").isEqualTo(second.aborted());
        Awaitility.await()
            .atMost(Duration.ofSeconds(15))
            .untilAsserted(
                () ->
                    assertThat(stableOffset(admin, p0))
                        .as("the abort marker lets read_committed readers past it")
                        .isGreaterThan(offset));
        assertThat(readCommitted(kafka, p0)).as("the aborted record is not read").isZero();
        assertThat(hanging.find(List.of(p0))).isEmpty();
      }
    }
  }

  private static long stableOffset(Admin admin, TopicPartition tp) throws Exception {
    return admin
        .listOffsets(
            Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
        .all()
        .get()
        .get(tp)
        .offset();
  }

  static long readCommitted(KafkaCluster kafka, TopicPartition tp) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      long count = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        count += consumer.poll(Duration.ofMillis(200)).count();
      }
      return count;
    }
  }
}
