package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The applier on a cluster without {@code v2p.schemas} (its own broker: the last test creates the
 * topic). Records of this build's schema need no registry; a record of a schema this build does not
 * know is held, with no clear anywhere and sets going on, until the topic appears with its schema,
 * and nothing is lost meanwhile.
 */
@WithKafka
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchemasTopicMissingIT extends AppliersOnKafka {
  private static final Duration DEADLINE = UpgradesOnKafka.DEADLINE;

  SchemasTopicMissingIT(KafkaCluster kafka) {
    super(kafka);
  }

  @Test
  @Order(1)
  void recordsOfThisBuildsSchema_needNoSchemasTopic_setsAndClearsApply() throws Exception {
    Vni vni = new Vni(3101);
    Vip kept = vip(vni, "10.31.0.1");
    Vip gone = vip(vni, "10.31.0.2");
    write(0, set(kept, 1, 1, S), UpgradesOnKafka.current(set(kept, 1, 1, S)));
    write(1, set(gone, 1, 1, S), UpgradesOnKafka.current(set(gone, 1, 1, S)));
    SimulatedXde device = UpgradesOnKafka.device();
    SledApplier applier = start(device);

    await().atMost(DEADLINE).until(applier::isReady);
    await().atMost(DEADLINE).until(() -> device.table().containsKey(gone));
    long clear = write(1, cleared(gone, 1, 2), UpgradesOnKafka.current(cleared(gone, 1, 2)));

    await().atMost(DEADLINE).until(() -> !device.table().containsKey(gone));
    assertThat(device.table()).containsEntry(kept, entry(kept, S));
    await().atMost(DEADLINE).until(() -> applier.status().acked().getOrDefault(1, 0L) > clear);
    assertThat(applier.readinessProblem()).isNull();
    assertThat(applier.failure()).isNull();
    assertThat(schemasTopicExists()).as("a reader never creates v2p.schemas").isFalse();
  }

  @Test
  @Order(2)
  void recordOfAnUnknownSchema_noSchemasTopic_isHeld_noClear_setsGoOn_untilTheTopicAndSchemaAppear()
      throws Exception {
    Vni vni = new Vni(3102);
    Vip kept = vip(vni, "10.31.1.1");
    Vip cleared = vip(vni, "10.31.1.2");
    Vip later = vip(vni, "10.31.1.3");
    Vip future = vip(vni, "10.31.1.4");
    write(1, set(kept, 1, 1, S), UpgradesOnKafka.current(set(kept, 1, 1, S)));
    write(2, set(cleared, 1, 1, S), UpgradesOnKafka.current(set(cleared, 1, 1, S)));
    SimulatedXde device = UpgradesOnKafka.device();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SledApplier applier = start(U.id(), device, registry, Duration.ofMillis(300));
    await().atMost(DEADLINE).until(applier::isReady);
    await().atMost(DEADLINE).until(() -> device.table().containsKey(cleared));
    int mark = device.mutationCount();

    V2PMapping fromTheFuture = set(future, 1, 1, T);
    long held = write(0, fromTheFuture, UpgradesOnKafka.next("missing", fromTheFuture));
    write(2, cleared(cleared, 1, 2), UpgradesOnKafka.current(cleared(cleared, 1, 2)));
    write(1, set(later, 1, 1, T), UpgradesOnKafka.current(set(later, 1, 1, T)));

    await().atMost(DEADLINE).until(() -> entry(later, T).equals(device.table().get(later)));
    await()
        .atMost(DEADLINE)
        .until(() -> String.valueOf(applier.readinessProblem()).contains("holding 1 record(s)"));
    assertThat(applier.readinessProblem())
        .as("readyz names the held record and where its schema is looked for")
        .contains("0@" + held)
        .contains(Topics.SCHEMAS);
    UpgradesOnKafka.assertHoldsOn(applier, device, registry, mark, cleared, future, held);

    kafka.createTopics(TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));
    // The topic alone does not register the schema: still held, still no clear.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                String.valueOf(applier.readinessProblem()).contains("0@" + held)
                    && UpgradesOnKafka.noClearSince(device, mark));

    UpgradesOnKafka.register(kafka, "missing");

    UpgradesOnKafka.assertResumes(applier, device, held, kept, cleared, later, future);
    assertThat(undecodable(registry)).isEqualTo(1.0);
    await().atMost(DEADLINE).until(() -> registry.get("v2p.applier.ready").gauge().value() == 1.0);
  }

  private SledApplier start(SimulatedXde device) {
    return start(U.id(), device, new SimpleMeterRegistry(), Duration.ofMillis(300));
  }

  private static double undecodable(SimpleMeterRegistry registry) {
    return registry.get("v2p.applier.records.undecodable").counter().count();
  }

  private boolean schemasTopicExists() throws Exception {
    try (Admin admin = kafka.admin()) {
      return admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(Topics.SCHEMAS);
    }
  }

  private long write(int partition, V2PMapping record, byte[] value) throws Exception {
    return UpgradesOnKafka.write(kafka, partition, record, value);
  }
}
