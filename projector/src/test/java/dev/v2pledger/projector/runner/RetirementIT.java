package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.ProjectedMapping;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * DESIGN "Bounded growth" against a real broker: a released allocation's key and a deleted
 * instance's state get tombstones after the grace period, in the projector's transactions, and a
 * projector started afterwards restores without them.
 */
@WithKafka
class RetirementIT {

  private static boolean tombstoned(List<ConsumerRecord<byte[], byte[]>> records, String key) {
    return records.stream()
        .anyMatch(
            r -> r.value() == null && key.equals(new String(r.key(), StandardCharsets.UTF_8)));
  }

  @Test
  void releasedKeysAndDeletedStatesAreRemovedAfterTheGracePeriod(KafkaCluster kafka) {
    try (Harness harness = new Harness(kafka, "retire", 2, "retire")) {
      InstanceId kept = InstanceId.parse("aaaaaaaa-0000-4000-8000-0000000000a1");
      InstanceId gone = InstanceId.parse("bbbbbbbb-0000-4000-8000-0000000000b2");
      harness.publish(
          List.of(
              Events.attached(kept, "10.7.0.1", 1),
              Events.placed(kept, 1),
              Events.attached(gone, "10.7.0.2", 2),
              Events.placed(gone, 2),
              Events.detached(kept),
              InstanceEvent.of(gone, new EventPayload.InstanceDeleted())));
      Projector projector =
          harness.start(harness.config("p1", c -> c.retireAfter(Duration.ofSeconds(1))));
      harness.awaitCaughtUp();

      await()
          .atMost(Harness.DEADLINE)
          .until(
              () ->
                  tombstoned(harness.readAll(harness.topics().mappings()), "7777/10.7.0.1/1")
                      && tombstoned(harness.readAll(harness.topics().mappings()), "7777/10.7.0.2/2")
                      && tombstoned(
                          harness.readAll(harness.topics().instanceState()), gone.toString()));
      assertThat(
              MappingTable.of(harness.mappings().stream().map(ProjectedMapping::mapping).toList())
                  .inForce())
          .isEqualTo(harness.oracle().inForce())
          .isEmpty();
      await().atMost(Harness.DEADLINE).until(() -> projector.status().instances() == 1);
      projector.close();

      Projector next = harness.startReady("p2");
      // ready means the partitions it holds so far are restored, and a member's first
      // assignment may be none or some: what it restored is judged once it holds both
      await()
          .atMost(Harness.DEADLINE)
          .until(() -> next.status().assigned().size() == 2 && next.readinessProblem() == null);
      assertThat(next.status().instances()).isEqualTo(1);
      assertThat(harness.changelog()).containsOnlyKeys(kept);
      assertThat(harness.changelog().get(kept).retired()).isEmpty();
    }
  }

  /**
   * A state record says when each of its retired keys was retired (the log time of the event that
   * retired it), and a projector that restored it says the same when it writes the state again for
   * another reason: a restore does not restart the grace period (DESIGN "Bounded growth").
   */
  @Test
  void aStateRecordSaysWhenItsKeysWereRetired_andARestoreKeepsThatTime(KafkaCluster kafka) {
    try (Harness harness = new Harness(kafka, "retired-at", 1, "retired-at")) {
      InstanceId id = InstanceId.parse("dddddddd-0000-4000-8000-0000000000d4");
      List<EventPosition> at =
          harness.publish(
              List.of(
                  Events.attached(id, "10.8.0.1", 1), Events.placed(id, 1), Events.detached(id)));
      long retiredAt = at.get(2).timestamp().toEpochMilli();
      Projector first = harness.start(harness.config("p1", c -> c.retireAfter(Duration.ofDays(7))));
      harness.awaitCaughtUp();
      assertThat(retiredAtHeader(harness, id)).isEqualTo(Long.toString(retiredAt));
      first.close();

      harness.publish(List.of(Events.placed(id, 2))); // the state is written again
      harness.start(harness.config("p2", c -> c.retireAfter(Duration.ofDays(7))));
      harness.awaitCaughtUp();

      ConsumerRecord<byte[], byte[]> last = lastState(harness, id);
      assertThat(last.timestamp()).isGreaterThan(retiredAt);
      assertThat(retiredAtHeader(harness, id))
          .as("the time the restore read, not the time of the record it restored")
          .isEqualTo(Long.toString(retiredAt));
    }
  }

  private static ConsumerRecord<byte[], byte[]> lastState(Harness harness, InstanceId id) {
    List<ConsumerRecord<byte[], byte[]>> records =
        harness.readAll(harness.topics().instanceState()).stream()
            .filter(r -> id.toString().equals(new String(r.key(), StandardCharsets.UTF_8)))
            .toList();
    return records.get(records.size() - 1);
  }

  private static String retiredAtHeader(Harness harness, InstanceId id) {
    Header header = lastState(harness, id).headers().lastHeader(Retirements.HEADER);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  /**
   * {@code v2p.mappings} grew after a key's SET was written: the key's newer records (its CLEARED)
   * go to another partition, and the old one keeps the SET. Compaction is per partition, so unless
   * the old partition gets its own tombstone, the SET is the key's only record once the new
   * partition's CLEARED and tombstone are compacted away, and an applier started then sets it.
   */
  @Test
  void afterTheMappingsTopicGrew_aRetiredKeyIsTombstonedInEveryPartition(KafkaCluster kafka)
      throws Exception {
    int grown = 4;
    try (Harness harness = new Harness(kafka, "retire-grown", 1, "retire-grown")) {
      InstanceId moved = InstanceId.parse("cccccccc-0000-4000-8000-0000000000c3");
      String ip = anIpWhoseKeyLeavesPartitionZero(grown);
      String key = "7777/" + ip + "/1";
      harness.publish(List.of(Events.attached(moved, ip, 1), Events.placed(moved, 1)));
      Projector before = harness.startReady("before");
      harness.awaitCaughtUp();
      before.close();
      try (var admin = kafka.admin()) {
        admin
            .createPartitions(Map.of(harness.topics().mappings(), NewPartitions.increaseTo(grown)))
            .all()
            .get(10, TimeUnit.SECONDS);
      }

      harness.publish(List.of(Events.detached(moved)));
      harness.start(harness.config("after", c -> c.retireAfter(Duration.ofSeconds(1))));
      await() // the tombstones of one retirement are committed together
          .atMost(Harness.DEADLINE)
          .until(() -> tombstoned(harness.readAll(harness.topics().mappings()), key));

      long clearedGen =
          harness.mappings().stream()
              .filter(m -> m.key().toString().equals(key) && !m.mapping().isSet())
              .mapToLong(m -> m.mapping().locationGen())
              .max()
              .orElseThrow();
      Map<Integer, ConsumerRecord<byte[], byte[]>> last = new TreeMap<>();
      harness.readAll(harness.topics().mappings()).forEach(r -> last.put(r.partition(), r));
      assertThat(last.get(0).value() == null ? "its tombstone" : "a record of the key")
          .as("partition 0's last record: it keeps the key's SET from before the growth")
          .isEqualTo("its tombstone");
      assertThat(last)
          .as("what compaction keeps of each partition: the key's tombstone")
          .hasSize(grown)
          .allSatisfy(
              (partition, r) -> {
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(key);
                assertThat(r.value()).isNull();
                assertThat(r.headers().lastHeader(Topics.HEADER_TOMBSTONE_UP_TO).value())
                    .as("removes up to the generation of the key's CLEARED record")
                    .asString(StandardCharsets.UTF_8)
                    .isEqualTo(String.valueOf(clearedGen));
              });
    }
  }

  /** An address whose key (epoch 1) Kafka's partitioner puts in another partition than 0. */
  private static String anIpWhoseKeyLeavesPartitionZero(int partitions) {
    for (int last = 1; ; last++) {
      String ip = "10.9.0." + last;
      byte[] key = ("7777/" + ip + "/1").getBytes(StandardCharsets.UTF_8);
      if (Utils.toPositive(Utils.murmur2(key)) % partitions != 0) {
        return ip;
      }
    }
  }
}
