package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.projector.testing.Seeds;
import dev.v2pledger.projector.testing.Workload;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The lost second half of a cooperative rebalance: a static member ({@code x}, a plain consumer) is
 * told to give a partition up, and crashes (its thread stops in the revocation) before it asks for
 * the follow-up rebalance; its successor with the same instance id is handed back the last
 * assignment without a rebalance, so the partition it gave up has no owner. The projector in the
 * group notices (the group stable, the partition with nobody for 15 s), leaves and joins again, and
 * the group places it.
 */
@WithKafka
class OrphanIT {
  @Test
  void aPartitionLeftWithNoOwnerIsPlacedByTheProjector(KafkaCluster kafka) throws Exception {
    long seed = Seeds.pick("OrphanIT");
    Workload workload = new Workload(seed, 30, 3);
    try (Harness harness = new Harness(kafka, "orphan", 3, Seeds.context("OrphanIT", seed))) {
      harness.publish(workload.next(300, 20));
      String topic = harness.topics().events();
      CountDownLatch revoking = new CountDownLatch(1);
      CountDownLatch crashed = new CountDownLatch(1);
      AtomicBoolean armed = new AtomicBoolean();
      Set<TopicPartition> xAssigned = ConcurrentHashMap.newKeySet();

      KafkaConsumer<byte[], byte[]> x = member(harness, "x");
      x.subscribe(
          List.of(topic),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
              xAssigned.removeAll(partitions);
              if (!partitions.isEmpty() && armed.get()) {
                revoking.countDown();
                hold(crashed); // the thread stops here: a crash, as far as the group can tell
              }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              xAssigned.addAll(partitions);
            }
          });
      Thread xThread =
          new Thread(
              () -> {
                while (crashed.getCount() > 0) {
                  x.poll(Duration.ofMillis(100));
                }
              },
              "member-x");
      xThread.start();
      await().atMost(Harness.DEADLINE).until(() -> xAssigned.size() == 3);

      armed.set(true);
      Projector a = harness.start(harness.config("a", b -> b));
      assertThat(revoking.await(60, TimeUnit.SECONDS)).as("x is told to give one up").isTrue();

      // x's successor, same instance id, before x's session ends
      Set<TopicPartition> successorHolds = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      Thread successor =
          new Thread(
              () -> {
                try (KafkaConsumer<byte[], byte[]> x2 = member(harness, "x")) {
                  x2.subscribe(List.of(topic));
                  while (!stop.get()) {
                    x2.poll(Duration.ofMillis(100));
                    successorHolds.clear();
                    successorHolds.addAll(x2.assignment());
                  }
                }
              },
              "member-x2");
      successor.start();
      try {
        await()
            .atMost(Harness.DEADLINE)
            .until(
                () -> {
                  Set<Integer> held = new TreeSet<>(a.status().assigned());
                  successorHolds.forEach(tp -> held.add(tp.partition()));
                  return held.equals(Set.of(0, 1, 2)) && a.readinessProblem() == null;
                });
        assertThat(a.metrics().count("rebalances", "orphans"))
            .as("the projector shook the group")
            .isGreaterThanOrEqualTo(1);
      } finally {
        stop.set(true);
        successor.join(10_000);
        crashed.countDown();
        xThread.join(10_000);
        x.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ZERO));
        a.close();
      }
    }
  }

  static KafkaConsumer<byte[], byte[]> member(Harness harness, String instance) {
    Map<String, Object> config = new HashMap<>(harness.cluster().clientConfig());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, harness.group());
    config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance);
    config.put(
        ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
        CooperativeStickyAssignor.class.getName());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  static void hold(CountDownLatch latch) {
    try {
      latch.await(120, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
