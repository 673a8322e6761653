package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.testing.MappingsTopic;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.ProcessCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN "Partitions and topology": a partition added to {@code v2p.mappings} whose one replica's
 * broker is gone (killed with {@code kill -9}: no leader) is found by the applier's look, whose
 * request for its end offsets then cannot be answered. That request waited the consumer's minute on
 * the applier thread, every 10 s, so passes asked for meanwhile waited with it; it now waits 2 s at
 * most, and ever more rarely. Stock brokers, each in its own JVM ({@link ProcessCluster}); {@code
 * v2p.mappings} has one replica per partition here, the added one on the broker killed.
 */
class LeaderlessPartitionIT {
  private static final int KILLED = 2;

  @Test
  void aPartitionAddedWithoutALeader_doesNotStallPasses_andRecordsOfTheOthersAreApplied(
      @TempDir Path dir) throws Exception {
    try (ProcessCluster kafka = ProcessCluster.start(dir)) {
      kafka.createTopics(
          TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"),
          TopicSpec.of(Topics.ACKS, MappingsTopic.PARTITIONS));
      try (Admin admin = Admin.create(kafka.clientConfig())) {
        admin // one replica each, none on the broker to be killed
            .createTopics(
                List.of(
                    new NewTopic(
                            Topics.MAPPINGS, Map.of(0, List.of(0), 1, List.of(1), 2, List.of(0)))
                        .configs(Map.of("cleanup.policy", "compact", "min.insync.replicas", "1"))))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      V2PMapping record = set(vip(new Vni(3401), "10.34.0.1"), 1, 1, S);
      MappingsTopic.produce(kafka, List.of(record));
      SimulatedXde device = UpgradesOnKafka.device();
      try (SledApplier applier =
          SledApplier.start(
              ApplierConfig.of(U.id(), kafka.clientConfig())
                  .withReconcileInterval(Duration.ofMinutes(10)),
              device,
              new SimpleMeterRegistry())) {
        await().atMost(UpgradesOnKafka.DEADLINE).until(applier::isReady);

        try (Admin admin = Admin.create(kafka.clientConfig())) {
          admin
              .createPartitions(
                  Map.of(
                      Topics.MAPPINGS,
                      NewPartitions.increaseTo(
                          MappingsTopic.PARTITIONS + 1, List.of(List.of(KILLED)))))
              .all()
              .get(30, TimeUnit.SECONDS);
        }
        kafka.kill(KILLED);

        // the look finds it within about 20 s (metadata every 10 s, a look every 10 s)
        BrokerAwayIT.assertPassesRunAtOnce(applier);
        BrokerAwayIT.assertPassesRunAtOnce(applier);
        assertThat(applier.status().acked())
            .as("never read: its end offsets never came")
            .doesNotContainKey(MappingsTopic.PARTITIONS);

        V2PMapping moved = set(record.vip(), 1, 2, T);
        MappingsTopic.produce(kafka, List.of(moved));
        await()
            .atMost(UpgradesOnKafka.DEADLINE)
            .until(() -> entry(moved.vip(), T).equals(device.table().get(moved.vip())));
        assertThat(applier.failure()).isNull();
      }
    }
  }
}
