package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.testing.MappingsTopic;
import dev.v2pledger.applier.testing.Records;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.ApplierAck;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.junit.jupiter.api.Test;

/**
 * {@code v2p.mappings} loses its last records while an applier has read them, as when an unclean
 * leader election makes a replica that lacked them the leader: here the broker is killed, the
 * partition's log cut after offset 2 (of 6), and the broker started again (log recovery), so the
 * partition ends below the applier's position and the next records written reuse those offsets. The
 * reader goes back (to where the logs diverge, or to the start); the watermark used to stay at the
 * old position, so the applier sent no ack until the log passed it again, and an ack sent again
 * after a failed send claimed offsets whose new records it had not read.
 */
class LogTruncatedIT {
  private static final Duration DEADLINE = UpgradesOnKafka.DEADLINE;
  private static final Records.Sled SLED = Records.U;

  @Test
  void logCutBelowTheApplier_itsWatermarkGoesBack_andAcksClaimOnlyWhatItRead() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
      createTopics(broker);
      Vni vni = new Vni(3401);
      write(broker, 6, i -> set(vip(vni, "10.34.0." + i), 1, 1, S)); // offsets 0 to 5
      SimulatedXde device = UpgradesOnKafka.device();
      try (SledApplier applier = BrokerAwayIT.start(broker, device)) {
        await().atMost(DEADLINE).until(() -> acks(broker).contains(6L));
        // acks sent before the kill may be lost with it (its log unflushed): the ones after the
        // cut are told by their time, not by their place in the topic
        Instant cutAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        broker.kill();
        cutAfter(broker, 2); // offsets 3 to 5 are lost
        broker.start();
        write(broker, 2, i -> set(vip(vni, "10.34.1." + i), 1, 1, T)); // offsets 3 and 4

        Vip last = vip(vni, "10.34.1.1");
        await().atMost(DEADLINE).until(() -> entry(last, T).equals(device.table().get(last)));
        await()
            .atMost(DEADLINE)
            .untilAsserted(
                () -> {
                  List<Long> after = acks(broker, cutAt);
                  assertThat(after).as("acks after the cut").isNotEmpty().allMatch(m -> m <= 5);
                  assertThat(after.get(after.size() - 1)).isEqualTo(5);
                });
        assertThat(applier.failure()).isNull();
      }
    }
  }

  /**
   * The log is cut below the snapshot's end while the applier reads its snapshot (an unclean leader
   * election as the broker comes back) and nothing more is written: the end offsets taken at start
   * were never reached, so the snapshot never completed, no pass ran and the applier was never
   * ready, until new records happened to fill the log past the old end. What the log has is read:
   * the snapshot ends at the end the log has now when that is lower.
   */
  @Test
  void logCutBelowTheSnapshotsEndWhileItIsRead_theSnapshotEndsWhereTheLogNowEnds()
      throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
      createTopics(broker);
      Vni vni = new Vni(3402);
      write(broker, 6, i -> set(vip(vni, "10.34.2." + i), 1, 1, S)); // offsets 0 to 5
      Map<String, Object> slow = new HashMap<>(broker.clientConfig());
      slow.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1); // a batch (a record) a fetch
      slow.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 10_000_000); // each waiting out the max
      slow.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 1500);
      SimulatedXde device = UpgradesOnKafka.device();
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (SledApplier applier =
          SledApplier.start(
              ApplierConfig.of(SLED.id(), slow).withReconcileInterval(Duration.ofMinutes(10)),
              device,
              registry)) {
        await()
            .atMost(DEADLINE)
            .pollInterval(Duration.ofMillis(20))
            .until(() -> applier.status().snapshotRead() >= 1);
        assertThat(applier.status().snapshotComplete()).isFalse();
        assertThat(registry.get("v2p.applier.snapshot.size").gauge().value()).isEqualTo(6);

        broker.kill();
        cutAfter(broker, 2); // offsets 3 to 5 are lost; nothing is written after
        broker.start();

        await().atMost(DEADLINE).until(applier::isReady);
        assertThat(device.table()).hasSize(3).containsKey(vip(vni, "10.34.2.2"));
        assertThat(applier.status().snapshotTotal()).as("status").isEqualTo(3);
        assertThat(applier.status().snapshotRead()).isEqualTo(3);
        assertThat(registry.get("v2p.applier.snapshot.size").gauge().value())
            .as("metric")
            .isEqualTo(3);
        assertThat(applier.failure()).isNull();
      }
    }
  }

  /** Writes {@code count} records, each in a batch of its own. */
  private static void write(EmbeddedKafkaBroker broker, int count, IntFunction<V2PMapping> record) {
    try (KafkaProducer<String, ProjectedMapping> producer =
        MappingsTopic.producer(broker, Map.of())) {
      for (int i = 0; i < count; i++) {
        MappingsTopic.send(producer, List.of(record.apply(i)));
      }
    }
  }

  /** The watermarks {@code SLED} acked for partition 0 of v2p.mappings, in the order sent. */
  private static List<Long> acks(EmbeddedKafkaBroker broker) {
    return acks(broker, Instant.EPOCH);
  }

  /** As {@link #acks(EmbeddedKafkaBroker)}, those sent at or after {@code since} only. */
  private static List<Long> acks(EmbeddedKafkaBroker broker, Instant since) {
    return MappingsTopic.allAcks(broker).stream()
        .map(r -> r.value())
        .filter(ack -> ack.sledId().equals(SLED.id()) && ack.partition() == 0)
        .filter(ack -> !ack.time().isBefore(since))
        .map(ApplierAck::appliedThroughOffset)
        .toList();
  }

  /**
   * Cuts partition 0's log of the stopped broker after the batch holding {@code lastKept}, and
   * removes its indexes: the broker's recovery (no clean-shutdown marker) rebuilds them.
   */
  private static void cutAfter(EmbeddedKafkaBroker broker, long lastKept) throws Exception {
    Path partition = broker.logDirs().get(0).resolve(Topics.MAPPINGS + "-0");
    Path log = partition.resolve("00000000000000000000.log");
    long end = -1;
    try (FileRecords records = FileRecords.open(log.toFile())) {
      for (FileChannelRecordBatch batch : records.batches()) {
        if (batch.lastOffset() <= lastKept) {
          end = batch.position() + batch.sizeInBytes();
        }
      }
    }
    assertThat(end).as("a batch ends at offset %d", lastKept).isPositive();
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
      channel.truncate(end);
    }
    Files.deleteIfExists(partition.resolve("00000000000000000000.index"));
    Files.deleteIfExists(partition.resolve("00000000000000000000.timeindex"));
  }

  /** The applier's topics, v2p.mappings of one partition (one log to cut). */
  private static void createTopics(EmbeddedKafkaBroker broker) {
    broker.createTopics(
        TopicSpec.of(Topics.MAPPINGS, 1).withConfig("cleanup.policy", "compact"),
        TopicSpec.of(Topics.ACKS, MappingsTopic.PARTITIONS),
        TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));
  }
}
