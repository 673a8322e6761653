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

import dev.v2pledger.applier.testing.MappingsTopic;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.runtime.http.OpsServer;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Upgrades in either order and records the applier cannot decode, against a real broker: a record
 * written with a newer compatible schema is decoded once that schema is in {@code v2p.schemas}; one
 * that cannot be decoded holds the applier (not ready, no clear anywhere, sets go on, its
 * partition's watermark stops before it) until its schema appears or an operator skips it.
 */
@WithKafka
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailSafeIT extends UpgradesOnKafka {
  FailSafeIT(KafkaCluster kafka) {
    super(kafka);
  }

  @Test
  void recordOfANewerProjector_schemaRegisteredFirst_isDecodedAndApplied() throws Exception {
    Vip vip = vip(new Vni(3001), "10.3.0.1");
    register(kafka, "first");
    write(0, set(vip, 1, 1, S), next("first", set(vip, 1, 1, S)));
    SimulatedXde device = device();

    SledApplier applier = start(device);

    await().atMost(DEADLINE).until(applier::isReady);
    await().atMost(DEADLINE).until(() -> entry(vip, S).equals(device.table().get(vip)));
  }

  @Test
  void undecodableRecord_holdsEveryClear_setsGoOn_untilItsSchemaAppears() throws Exception {
    Vni vni = new Vni(3002);
    Vip kept = vip(vni, "10.3.1.1");
    Vip cleared = vip(vni, "10.3.1.2");
    Vip later = vip(vni, "10.3.1.3");
    Vip future = vip(vni, "10.3.1.4");
    write(1, set(kept, 1, 1, S), current(set(kept, 1, 1, S)));
    write(2, set(cleared, 1, 1, S), current(set(cleared, 1, 1, S)));
    SimulatedXde device = device();
    SledApplier applier = start(device);
    await().atMost(DEADLINE).until(applier::isReady);
    await().atMost(DEADLINE).until(() -> device.table().containsKey(cleared));

    V2PMapping fromTheFuture = set(future, 1, 1, T);
    long held = write(0, fromTheFuture, next("second", fromTheFuture)); // no schema anywhere yet
    write(2, cleared(cleared, 1, 2), current(cleared(cleared, 1, 2)));
    write(1, set(later, 1, 1, T), current(set(later, 1, 1, T)));

    await().atMost(DEADLINE).until(() -> entry(later, T).equals(device.table().get(later)));
    assertThat(applier.readinessProblem()).contains("holding 1 record(s)").contains("0@" + held);
    long passes = applier.status().passes();
    applier.requestReconcile();
    await().atMost(DEADLINE).until(() -> applier.status().passes() > passes + 1);
    assertThat(device.table())
        .as("no clear while a record is held, not even from a pass")
        .containsKey(cleared)
        .doesNotContainKey(future);
    assertThat(applier.status().acked().getOrDefault(0, 0L))
        .as("the held partition's watermark stops before the held record")
        .isLessThanOrEqualTo(held);
    assertThat(applier.lastPass().withheld()).isPositive();

    register(kafka, "second");

    await().atMost(DEADLINE).until(applier::isReady);
    await().atMost(DEADLINE).until(() -> !device.table().containsKey(cleared));
    assertThat(device.table()).containsEntry(future, entry(future, T)).containsKey(kept);
    await().atMost(DEADLINE).until(() -> applier.status().acked().getOrDefault(0, 0L) > held);
  }

  @Test
  void tombstoneWhoseKeyOrHeaderDoesNotParse_isIgnoredAndCounted_notHeld() throws Exception {
    Vip gone = vip(new Vni(3006), "10.3.5.1");
    write(2, set(gone, 1, 1, S), current(set(gone, 1, 1, S)));
    SimulatedXde device = device();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SledApplier applier = start(U.id(), device, registry, Duration.ofMillis(300));
    await().atMost(DEADLINE).until(() -> device.table().containsKey(gone));

    write(new ProducerRecord<>(Topics.MAPPINGS, 2, "3006/not-an-ip/1", null));
    write(2, cleared(gone, 1, 2), current(cleared(gone, 1, 2))); // after it, in its partition

    await().atMost(DEADLINE).until(() -> !device.table().containsKey(gone));
    assertThat(registry.get("v2p.applier.tombstones.ignored").counter().count()).isEqualTo(1);
    assertThat(applier.readinessProblem()).as("nothing held").isNull();

    Vip kept = vip(new Vni(3006), "10.3.5.2"); // a tombstone of a key in force, header garbled
    write(2, set(kept, 1, 1, S), current(set(kept, 1, 1, S)));
    await().atMost(DEADLINE).until(() -> device.table().containsKey(kept));
    ProducerRecord<String, byte[]> garbled =
        new ProducerRecord<>(Topics.MAPPINGS, 2, set(kept, 1, 1, S).key().toString(), null);
    garbled.headers().add(Topics.HEADER_TOMBSTONE_UP_TO, "not a generation".getBytes());
    write(garbled);
    Vip after = vip(new Vni(3006), "10.3.5.3");
    write(2, set(after, 1, 1, S), current(set(after, 1, 1, S))); // after it, in its partition

    await().atMost(DEADLINE).until(() -> device.table().containsKey(after));
    assertThat(registry.get("v2p.applier.tombstones.ignored").counter().count()).isEqualTo(2);
    assertThat(device.table()).as("the garbled tombstone removed nothing").containsKey(kept);
    assertThat(applier.readinessProblem()).as("nothing held").isNull();

    // another spelling of kept's key: compaction would never remove kept's records by it
    write(new ProducerRecord<>(Topics.MAPPINGS, 2, "3006/10.3.5.2/01", null));
    Vip last = vip(new Vni(3006), "10.3.5.4");
    write(2, set(last, 1, 1, S), current(set(last, 1, 1, S))); // after it, in its partition

    await().atMost(DEADLINE).until(() -> device.table().containsKey(last));
    assertThat(registry.get("v2p.applier.tombstones.ignored").counter().count()).isEqualTo(3);
    assertThat(device.table()).as("the misspelt tombstone removed nothing").containsKey(kept);
  }

  /**
   * Last: its corrupt records stay in the topic, and every applier started after it on this broker
   * would hold them too (a skip is the skipping applier's alone). The operator skips through {@code
   * POST /skip}, as the README says: once answered at once, once while the applier is busy in a
   * write (queued, done at its next step), and once after it stopped.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void corruptRecords_areHeldUntilAnOperatorSkipsThem_overHttp() throws Exception {
    Vni vni = new Vni(3003);
    Vip gone = vip(vni, "10.3.2.1");
    Vip slow = vip(vni, "10.3.2.2");
    write(2, set(gone, 1, 1, S), current(set(gone, 1, 1, S)));
    SimulatedXde device = device();
    SledApplier applier = start(device);
    await().atMost(DEADLINE).until(() -> device.table().containsKey(gone));

    byte[] garbage = {(byte) 0xC3, 1, 2, 3};
    long first = write(0, set(gone, 9, 9, T), garbage);
    long second = write(1, set(gone, 9, 9, T), garbage);
    write(2, cleared(gone, 1, 2), current(cleared(gone, 1, 2)));
    await()
        .atMost(DEADLINE)
        .until(() -> String.valueOf(applier.readinessProblem()).contains("holding 2 record(s)"));

    try (OpsServer ops =
        AdminEndpoints.start(
            "127.0.0.1",
            0,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            () -> applier,
            Duration.ofMillis(500))) {
      assertThat(AdminEndpointsTest.post(ops, "/skip?partition=1"))
          .isEqualTo("400 give the held record as ?partition=P&offset=O (two numbers, 0 or more)");
      assertThat(AdminEndpointsTest.post(ops, "/skip?partition=1&offset=" + (second + 1000)))
          .startsWith("404 not held");
      assertThat(AdminEndpointsTest.post(ops, "/skip?partition=0&offset=" + first))
          .isEqualTo("200 skipped " + Topics.MAPPINGS + "-0@" + first);
      assertThat(device.table()).as("one record is still held: no clear yet").containsKey(gone);

      CountDownLatch writing = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      device.onMutation(
          m -> {
            if (m.vip().equals(slow) && writing.getCount() > 0) {
              writing.countDown();
              awaitQuietly(release);
            }
          });
      write(2, set(slow, 1, 1, S), current(set(slow, 1, 1, S))); // a set goes on while holding
      assertThat(writing.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();
      assertThat(AdminEndpointsTest.post(ops, "/skip?partition=1&offset=" + second))
          .startsWith("202 queued");
      release.countDown();

      await().atMost(DEADLINE).until(() -> !device.table().containsKey(gone));
      await().atMost(DEADLINE).until(applier::isReady);

      applier.close();
      assertThat(AdminEndpointsTest.post(ops, "/skip?partition=1&offset=" + second))
          .isEqualTo(
              "503 not done: the applier stopped before it could skip "
                  + Topics.MAPPINGS
                  + "-1@"
                  + second);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void partitionAddedWhileRunning_isRead_andItsSetsApplied() throws Exception {
    Vip added = vip(new Vni(3004), "10.3.3.1");
    SimulatedXde device = device();
    SledApplier applier = start(device);
    await().atMost(DEADLINE).until(applier::isReady);
    int partitions = MappingsTopic.PARTITIONS;
    try (var admin = kafka.admin()) {
      admin
          .createPartitions(Map.of(Topics.MAPPINGS, NewPartitions.increaseTo(partitions + 1)))
          .all()
          .get(10, TimeUnit.SECONDS);
    }

    write(partitions, set(added, 1, 1, T), current(set(added, 1, 1, T)));

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> entry(added, T).equals(device.table().get(added)));
    await().atMost(DEADLINE).until(() -> applier.status().acked().containsKey(partitions));
  }
}
