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
import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away (each test its own broker, stopped): nothing new comes from {@code
 * v2p.mappings}, but the device comes first: passes asked for meanwhile (a sled agent's {@code POST
 * /reconcile}; a port poll that found a port created asks the same way) run at once, not after a
 * Kafka call that waits up to 10 s for a broker that does not answer.
 */
class BrokerAwayIT {
  private static final Duration DEADLINE = UpgradesOnKafka.DEADLINE;

  /**
   * The look for partitions added to {@code v2p.mappings} (every 10 s) asked the broker when the
   * consumer's metadata did not have the topic (the broker's last answer, as it shut down, said it
   * had no leader), and the applier thread waited 10 s of every 10.
   */
  @Test
  void whileTheBrokerIsAway_requestedPassesRunAtOnce_andWhenItIsBackRecordsAreApplied()
      throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
      MappingsTopic.create(broker);
      broker.createTopics(TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));
      V2PMapping record = set(vip(new Vni(3301), "10.33.0.1"), 1, 1, S);
      MappingsTopic.produce(broker, List.of(record));
      SimulatedXde device = UpgradesOnKafka.device();
      try (SledApplier applier = start(broker, device)) {
        await().atMost(DEADLINE).until(applier::isReady);

        broker.stop();

        assertPassesRunAtOnce(applier);

        broker.start(); // and when it is back, new records are applied
        V2PMapping moved = set(record.vip(), 1, 2, T);
        MappingsTopic.produce(broker, List.of(moved));
        await()
            .atMost(DEADLINE)
            .until(() -> entry(moved.vip(), T).equals(device.table().get(moved.vip())));
      }
    }
  }

  /**
   * A record is held (its schema is not registered): decoding it again, every 2 s, reads {@code
   * v2p.schemas}, a read that waits up to 10 s for the broker; it ran on the applier thread, which
   * then spent about 10 s of every 12 there.
   */
  @Test
  void whileARecordIsHeldAndTheBrokerIsAway_requestedPassesRunAtOnce() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
      MappingsTopic.create(broker);
      broker.createTopics(TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));
      V2PMapping record = set(vip(new Vni(3302), "10.33.0.2"), 1, 1, T);
      UpgradesOnKafka.write(broker, 0, record, UpgradesOnKafka.next("away", record));
      SimulatedXde device = UpgradesOnKafka.device();
      try (SledApplier applier = start(broker, device)) {
        await()
            .atMost(DEADLINE)
            .until(() -> String.valueOf(applier.readinessProblem()).contains("holding 1"));

        broker.stop();

        assertPassesRunAtOnce(applier);

        await() // it is decoded again meanwhile: readyz says why it is held now
            .atMost(DEADLINE)
            .until(() -> String.valueOf(applier.readinessProblem()).contains("cannot be read"));
        broker.start(); // and when it is back, the registry is read again
        await()
            .atMost(DEADLINE)
            .until(
                () -> String.valueOf(applier.readinessProblem()).contains("nor is it registered"));
        assertThat(applier.failure()).isNull();
      }
    }
  }

  static SledApplier start(EmbeddedKafkaBroker broker, SimulatedXde device) {
    return SledApplier.start(
        ApplierConfig.of(U.id(), broker.clientConfig())
            .withReconcileInterval(Duration.ofMinutes(10)),
        device,
        new SimpleMeterRegistry());
  }

  /**
   * For 14 s (more than a Kafka call's 10 s), every pass asked for runs within 6 s: well under a
   * pass that waits for such a call, with room for a loaded machine.
   */
  static void assertPassesRunAtOnce(SledApplier applier) {
    long end = System.nanoTime() + Duration.ofSeconds(14).toNanos();
    int requests = 0;
    while (System.nanoTime() - end < 0) {
      long passes = applier.status().passes();
      applier.requestReconcile();
      await().atMost(Duration.ofSeconds(6)).until(() -> applier.status().passes() > passes);
      requests++;
    }
    assertThat(requests).isPositive();
    assertThat(applier.failure()).isNull();
  }
}
