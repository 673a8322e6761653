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
import dev.v2pledger.applier.testing.MutableClock;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.avro.ApplierAck;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import dev.v2pledger.schema.registry.SchemaRegistration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * {@code v2p.acks} missing from the cluster (deleted, or never created where topics are not created
 * on first use): the ack producer's send waits for the topic's metadata, up to {@code
 * max.block.ms}. The device comes first: mapping updates go on while acks wait, and acks follow
 * once the topic is back.
 */
@WithKafka
class AckOutageIT extends AppliersOnKafka {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  AckOutageIT(KafkaCluster kafka) {
    super(kafka);
  }

  @Test
  void withoutTheAcksTopic_mappingsAreStillApplied_andAcksFollowWhenItIsBack() throws Exception {
    Vni vni = new Vni(3101);
    Vip first = vip(vni, "10.31.0.1");
    Vip second = vip(vni, "10.31.0.2");
    try (Admin admin = kafka.admin()) {
      admin.deleteTopics(List.of(Topics.ACKS)).all().get(10, TimeUnit.SECONDS);
      await()
          .atMost(DEADLINE)
          .until(() -> !admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(Topics.ACKS));
    }
    MappingsTopic.produce(kafka, List.of(set(first, 1, 1, S)));
    Map<String, Object> settings = new HashMap<>(kafka.clientConfig());
    // a blocked ack send outlasts the test: before acks had a thread of their own, the applier
    // thread waited here after its first pass, and no later record reached the device
    settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Duration.ofMinutes(10).toMillis());
    SimulatedXde device = new SimulatedXde(U.underlay(), Clock.systemUTC());
    SledApplier applier =
        start(
            ApplierConfig.of(U.id(), settings).withReconcileInterval(Duration.ofSeconds(5)),
            device,
            new SimpleMeterRegistry());
    await().atMost(DEADLINE).until(() -> entry(first, S).equals(device.table().get(first)));

    MappingsTopic.produce(kafka, List.of(set(second, 1, 1, S)));

    await().atMost(DEADLINE).until(() -> entry(second, S).equals(device.table().get(second)));
    assertThat(applier.isReady()).isTrue();
    Instant applied = Instant.now(); // both records are on the device: every watermark has moved

    kafka.createTopics(TopicSpec.of(Topics.ACKS, MappingsTopic.PARTITIONS));
    Map<Integer, Long> ends = MappingsTopic.endOffsets(kafka);
    await().atMost(DEADLINE).until(() -> MappingsTopic.ackedBy(kafka, U.id()).equals(ends));
    // an ack says when the sled had applied, not when the ack path came back (DESIGN "Acks")
    assertThat(MappingsTopic.allAcks(kafka))
        .map(ConsumerRecord::value)
        .filteredOn(ack -> ack.sledId().equals(U.id()))
        .isNotEmpty()
        .allSatisfy(ack -> assertThat(ack.time()).isBeforeOrEqualTo(applied));
  }

  /** Closing sends the watermarks handed over last (a clean stop acks what it applied). */
  @Test
  void closeSendsTheWatermarksHandedOverLast() {
    SledId sled = T.id();
    AckPublisher acks = acks(sled, "close-test-acks", schemas -> List.of()); // registered already
    for (long watermark = 1; watermark <= 50; watermark++) {
      acks.send((int) (watermark % MappingsTopic.PARTITIONS), watermark);
    }
    acks.close();

    assertThat(MappingsTopic.ackedBy(kafka, sled)).isEqualTo(Map.of(0, 48L, 1, 49L, 2, 50L));
    assertThat(acks.takeFailure()).isNull();
    assertThat(acks.takeThrown()).isNull();
  }

  /**
   * A watermark that went back (the log cut under the reader) while a higher one waits to be sent
   * (here the ack schema's registration is held back, as by a registry that times out; a send
   * blocked for v2p.acks' metadata keeps it waiting too): the lower one is what is sent, not the
   * higher one, which claims records the sled has not read.
   */
  @Test
  void aWatermarkThatWentBack_replacesAHigherOneNotSentYet() throws Exception {
    SledId sled = new SledId(UUID.randomUUID());
    AtomicBoolean registryAnswers = new AtomicBoolean();
    AtomicInteger attempts = new AtomicInteger();
    AckPublisher acks =
        acks(
            sled,
            "went-back-test-acks",
            schemas -> {
              attempts.incrementAndGet();
              if (!registryAnswers.get()) {
                throw new TimeoutException("no answer");
              }
              return List.of();
            });
    acks.send(0, 6);
    await().atMost(DEADLINE).until(() -> attempts.get() >= 1); // held back: 6 stays pending
    int before = attempts.get();
    acks.send(0, 3); // the position went back
    await().atMost(DEADLINE).until(() -> attempts.get() > before);
    registryAnswers.set(true);
    acks.close(); // sends what is pending

    assertThat(MappingsTopic.ackedBy(kafka, sled)).isEqualTo(Map.of(0, 3L));
  }

  /**
   * A watermark handed over again (as after a send that failed) keeps the time it was first handed
   * over at; a new one is stamped when it is handed over, not when it leaves.
   */
  @Test
  void anAckSaysWhenItsWatermarkWasFirstHandedOver() {
    SledId sled = new SledId(UUID.randomUUID());
    MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");
    AckPublisher acks = acks(sled, "stamp-test-acks", schemas -> List.of(), clock);
    acks.send(0, 5);
    clock.advance(Duration.ofMinutes(1));
    acks.send(0, 5); // again: still the first hand-over's time
    acks.send(1, 7);
    clock.advance(Duration.ofMinutes(1)); // before anything is sent
    acks.close();

    Map<Integer, Set<Instant>> times = new TreeMap<>(); // every ack sent, by partition
    for (var record : MappingsTopic.allAcks(kafka)) {
      var ack = record.value(); // the domain's ApplierAck
      if (ack.sledId().equals(sled)) {
        times.computeIfAbsent(ack.partition(), p -> new HashSet<>()).add(ack.time());
      }
    }
    assertThat(times)
        .isEqualTo(
            Map.of(
                0, Set.of(Instant.parse("2026-12-07T10:00:00Z")),
                1, Set.of(Instant.parse("2026-12-07T10:01:00Z"))));
  }

  /**
   * A watermark reached again after the log went back under the reader (the topic made again, or
   * cut by an unclean leader election, and read again to the same end in one poll) covers other
   * records, written after the first ack: its ack is stamped anew. It kept the first hand-over's
   * time, so v2p.acks said the sled had applied records before they were in the log (a reader of
   * acks, replay-tool stats and history, then reports them applied before they were written).
   */
  @Test
  void aWatermarkReachedAgainAfterTheLogWentBack_isStampedAnew() {
    EngineFixture sled = new EngineFixture(U);
    Vip a = vip("172.30.0.5");
    sled.snapshot(List.of(set(a, 1, 2, S), set(a, 1, 3, S)));
    MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");
    SledId acked = new SledId(UUID.randomUUID()); // this test's acks alone
    AckPublisher acks = acks(acked, "went-back-stamp-test-acks", schemas -> List.of(), clock);
    WatermarkAcks watermarks = new WatermarkAcks(sled.loopContext());
    assertThat(watermarks.publish(acks)).isTrue(); // 0 through 2, at 10:00
    // sent before the next is handed over, which would replace it (the newest per partition wins)
    await().atMost(DEADLINE).until(() -> !partitionZeroAckTimes(acked).isEmpty());

    clock.advance(Duration.ofMinutes(1));
    sled.engine.advance(0, 0); // the log went back under the reader; the new records, read
    sled.engine.offer(set(a, 2, 1, T), 0, 0);
    sled.engine.offer(set(a, 2, 2, T), 0, 1);
    sled.engine.advance(0, 2); // up to where the old log's watermark was
    sled.engine.reconcile();
    assertThat(watermarks.publish(acks)).isTrue();
    acks.close();

    assertThat(partitionZeroAckTimes(acked))
        .containsExactly(
            Instant.parse("2026-12-07T10:00:00Z"), Instant.parse("2026-12-07T10:01:00Z"));
  }

  /** The times of {@code sled}'s acks of partition 0, in order; each acks through offset 2. */
  private List<Instant> partitionZeroAckTimes(SledId sled) {
    List<Instant> times = new ArrayList<>();
    for (var record : MappingsTopic.allAcks(kafka)) {
      var ack = record.value();
      if (ack.sledId().equals(sled) && ack.partition() == 0) {
        assertThat(ack.appliedThroughOffset()).isEqualTo(2);
        times.add(ack.time());
      }
    }
    return times;
  }

  /**
   * An ack sender of {@code sled} on this cluster whose ack schema registration is {@code
   * registry}.
   */
  private AckPublisher acks(SledId sled, String clientId, SchemaRegistration.Registry registry) {
    return acks(sled, clientId, registry, Clock.systemUTC());
  }

  private AckPublisher acks(
      SledId sled, String clientId, SchemaRegistration.Registry registry, Clock clock) {
    return new AckPublisher(
        kafka.clientConfig(),
        sled,
        clock,
        clientId,
        new SchemaRegistration(
            registry,
            List.of(ApplierAck.getClassSchema()),
            Duration.ofSeconds(10),
            System::nanoTime),
        null);
  }
}
