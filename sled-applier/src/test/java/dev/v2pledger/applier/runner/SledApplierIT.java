package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.macOf;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.flows.FlowSettings;
import dev.v2pledger.applier.testing.AckSendFault;
import dev.v2pledger.applier.testing.InterposedXde;
import dev.v2pledger.applier.testing.MappingsTopic;
import dev.v2pledger.applier.testing.MutableClock;
import dev.v2pledger.applier.testing.Records.Sled;
import dev.v2pledger.applier.xde.ReopeningXde;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.Mutation;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.runtime.time.UtcClock;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import dev.v2pledger.schema.testing.Seeds;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The applier against a real broker: snapshot, deltas, passes, triggers, acks, restarts. */
@WithKafka
class SledApplierIT extends AppliersOnKafka {
  static final Duration DEADLINE = Duration.ofSeconds(30);

  SledApplierIT(KafkaCluster kafka) {
    super(kafka);
  }

  @AfterEach
  void noAckSendFault() {
    AckSendFault.clear();
  }

  SledApplier start(Sled sled, SimulatedXde device, MeterRegistry registry, Duration interval) {
    return start(sled.id(), device, registry, interval);
  }

  SledApplier start(Sled sled, SimulatedXde device) {
    return start(sled, device, new SimpleMeterRegistry(), Duration.ofSeconds(5));
  }

  static SimulatedXde deviceOf(Sled sled) {
    return new SimulatedXde(sled.underlay(), MutableClock.at("2025-01-01T00:00:00Z"));
  }

  /** What a device should hold in {@code vni} after {@code records}: the table in force. */
  static Map<Vip, XdeMapping> expected(List<V2PMapping> records, Vni vni) {
    Map<Vip, XdeMapping> out = new TreeMap<>();
    MappingTable.of(records)
        .inForce()
        .forEach(
            (vip, record) -> {
              if (vip.vni().equals(vni)) {
                out.put(
                    vip,
                    entry(
                        vip,
                        record.target().sledId().equals(S.id())
                            ? S
                            : record.target().sledId().equals(T.id()) ? T : U));
              }
            });
    return out;
  }

  static Map<Vip, XdeMapping> inVni(SimulatedXde device, Vni vni) {
    Map<Vip, XdeMapping> out = new TreeMap<>();
    device
        .table()
        .forEach(
            (vip, entry) -> {
              if (vip.vni().equals(vni)) {
                out.put(vip, entry);
              }
            });
    return out;
  }

  /** A random history of SETs, moves, clears and stale repeats over {@code vips} VIPs. */
  static List<V2PMapping> history(Vni vni, int vips, int records, Random random) {
    List<V2PMapping> out = new ArrayList<>();
    long[] gen = new long[vips];
    Sled[] sleds = {S, T, U};
    for (int i = 0; i < records; i++) {
      int n = random.nextInt(vips);
      Vip vip = new Vip(vni, IpAddr.parse("10.1." + (n / 250) + "." + (n % 250)));
      if (gen[n] > 0 && random.nextInt(8) == 0) {
        out.add(set(vip, 1, gen[n] - 1, sleds[random.nextInt(3)])); // stale
        continue;
      }
      gen[n]++;
      out.add(
          random.nextInt(5) == 0
              ? cleared(vip, 1, gen[n])
              : set(vip, 1, gen[n], sleds[random.nextInt(3)]));
    }
    return out;
  }

  @Test
  void coldStartThenDeltas_deviceMatchesDesiredAndAcksCoverEveryRecord() {
    long seed = Seeds.pick("SledApplierIT");
    Vni vni = new Vni(1001);
    List<V2PMapping> snapshot = history(vni, 500, 3000, new Random(seed));
    MappingsTopic.produce(kafka, snapshot);
    SimulatedXde device = deviceOf(U);

    SledApplier applier = start(U, device);
    await().atMost(DEADLINE).until(applier::isReady);
    assertThat(inVni(device, vni)).as(Seeds.replay(seed)).isEqualTo(expected(snapshot, vni));

    List<V2PMapping> deltas =
        history(vni, 500, 500, new Random(seed + 1)).stream()
            .map(
                r ->
                    r.isSet()
                        ? set(r.key().vip(), 1, r.locationGen() + 100, S)
                        : cleared(r.key().vip(), 1, r.locationGen() + 100))
            .toList();
    MappingsTopic.produce(kafka, deltas);
    List<V2PMapping> all = new ArrayList<>(snapshot);
    all.addAll(deltas);
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () ->
                assertThat(inVni(device, vni))
                    .as(Seeds.replay(seed))
                    .isEqualTo(expected(all, vni)));

    Map<Integer, Long> end = MappingsTopic.endOffsets(kafka);
    await()
        .atMost(DEADLINE)
        .untilAsserted(() -> assertThat(MappingsTopic.ackedBy(kafka, U.id())).isEqualTo(end));
    assertThat(MappingsTopic.allAcks(kafka))
        .filteredOn(r -> r.value().sledId().equals(U.id()))
        .allSatisfy(r -> assertThat(r.key()).isEqualTo(U.id().toString()));
  }

  @Test
  void givenSourcePortDestroyed_whenTriggered_thenEntryIsRestoredWithoutWaitingForTheInterval() {
    Vip moved = vip(new Vni(1002), "172.30.2.5");
    MappingsTopic.produce(kafka, List.of(set(moved, 1, 1, S), set(moved, 1, 2, T)));
    SimulatedXde source = deviceOf(S);
    SledApplier applier = start(S, source, new SimpleMeterRegistry(), Duration.ofMinutes(10));
    await().atMost(DEADLINE).until(applier::isReady);
    await().atMost(DEADLINE).until(() -> entry(moved, T).equals(source.get(moved)));

    source.destroyPort(moved.vni(), moved.ip());
    applier.requestReconcile();

    // the trigger, not the 10 min interval (5 s here was tight on a busy machine)
    await().atMost(DEADLINE).until(() -> entry(moved, T).equals(source.get(moved)));
  }

  @Test
  void givenMigrationFailed_whenTargetPortCreated_thenReassertRestoresSourceMapping() {
    Vip vip = vip(new Vni(1003), "172.30.3.5");
    MappingsTopic.produce(kafka, List.of(set(vip, 1, 1, S)));
    SimulatedXde target = deviceOf(T);
    SledApplier applier = start(T, target);
    await().atMost(DEADLINE).until(applier::isReady);

    target.createPort(vip.vni(), vip.ip(), macOf(vip));
    MappingsTopic.produce(kafka, List.of(set(vip, 1, 3, S))); // the projector re-asserts

    await().atMost(DEADLINE).until(() -> entry(vip, S).equals(target.get(vip)));
  }

  @Test
  void givenRestartOverADeviceThatKeptItsTable_thenNothingIsWritten() throws Exception {
    Vip vip = vip(new Vni(1004), "172.30.4.5");
    MappingsTopic.produce(
        kafka, List.of(set(vip, 1, 1, S), cleared(vip(new Vni(1004), "172.30.4.6"), 1, 1)));
    SimulatedXde device = deviceOf(U);
    SledApplier first = start(U, device);
    await().atMost(DEADLINE).until(first::isReady);
    first.close();
    int mark = device.mutationCount();

    SledApplier second = start(U, device);
    await().atMost(DEADLINE).until(second::isReady);

    assertThat(device.mutationsSince(mark)).isEmpty();
    assertThat(second.lastPass().ok()).isTrue();
    assertThat(second.lastPass().set() + second.lastPass().cleared()).isZero();
  }

  @Test
  void nothingIsClearedOrSetBeforeTheSnapshotIsComplete() {
    Vni vni = new Vni(1005);
    List<V2PMapping> records = history(vni, 2000, 20_000, new Random(5));
    MappingsTopic.produce(kafka, records);
    SimulatedXde device = deviceOf(U);
    for (int i = 0; i < 50; i++) {
      device.set(entry(vip(vni, "10.9.0." + i), S)); // unknown to desired: to be cleared
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<Double> snapshotCompleteAtWrite = new CopyOnWriteArrayList<>();
    device.onMutation(
        m ->
            snapshotCompleteAtWrite.add(
                registry.get("v2p.applier.snapshot.complete").gauge().value()));

    SledApplier applier = start(U, device, registry, Duration.ofSeconds(5));
    await().atMost(DEADLINE).until(applier::isReady);

    assertThat(snapshotCompleteAtWrite).isNotEmpty().containsOnly(1.0);
    assertThat(device.mutations()).extracting(Mutation::op).contains(Mutation.Op.CLEAR);
    assertThat(inVni(device, vni)).isEqualTo(expected(records, vni));
  }

  @Test
  void injectedDeviceFailuresAreRepairedByTheNextPassAndNeverStopTheApplier() {
    Vip a = vip(new Vni(1006), "172.30.6.1");
    Vip b = vip(new Vni(1006), "172.30.6.2");
    SimulatedXde device = deviceOf(U);
    SledApplier applier = start(U, device, new SimpleMeterRegistry(), Duration.ofMillis(300));
    await().atMost(DEADLINE).until(applier::isReady);

    device.failNextCalls(5);
    MappingsTopic.produce(kafka, List.of(set(a, 1, 1, S), set(b, 1, 1, T)));

    await()
        .atMost(DEADLINE)
        .until(() -> entry(a, S).equals(device.get(a)) && entry(b, T).equals(device.get(b)));
    assertThat(applier.livenessProblem()).isNull();
    assertThat(applier.failure()).isNull();
  }

  /**
   * Ready means the device was brought to the desired table: not while XDE is not loaded (the
   * applier started before it, or it was unloaded), however many passes ran; ready again once a
   * pass reaches it.
   */
  @Test
  void readyOnlyWhileThePassesReachTheDevice() {
    Vni vni = new Vni(1010);
    Vip first = vip(vni, "172.30.10.1");
    Vip second = vip(vni, "172.30.10.2");
    MappingsTopic.produce(kafka, List.of(set(first, 1, 1, S)));
    AtomicReference<SimulatedXde> loaded = new AtomicReference<>(); // XDE not loaded yet
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SledApplier applier =
        start(
            config(U.id(), Duration.ofMillis(300)),
            new ReopeningXde(() -> ReloadableXde.driverOf(loaded)),
            registry);

    await().atMost(DEADLINE).until(() -> applier.status().passes() >= 2);
    assertThat(applier.readinessProblem()).contains("could not read the device: no XDE driver");
    assertThat(registry.get("v2p.applier.ready").gauge().value()).isZero();

    SimulatedXde device = deviceOf(U);
    loaded.set(device);
    await().atMost(DEADLINE).until(applier::isReady);
    assertThat(device.get(first)).isEqualTo(entry(first, S));
    assertThat(registry.get("v2p.applier.ready").gauge().value()).isEqualTo(1.0);

    loaded.set(null); // unloaded while running
    MappingsTopic.produce(kafka, List.of(set(second, 1, 1, S)));
    await()
        .atMost(DEADLINE)
        .until(() -> String.valueOf(applier.readinessProblem()).contains("no XDE driver"));

    SimulatedXde reloaded = deviceOf(U); // loaded again, empty
    loaded.set(reloaded);
    await().atMost(DEADLINE).until(applier::isReady);
    assertThat(reloaded.table()).containsKeys(first, second);
  }

  /** A closed applier is not ready, on /readyz and on its gauge. */
  @Test
  void aClosedApplierIsNotReady() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SledApplier applier = start(U, deviceOf(U), registry, Duration.ofSeconds(5));
    await().atMost(DEADLINE).until(applier::isReady);

    applier.close();

    assertThat(applier.awaitTermination(DEADLINE)).isTrue();
    assertThat(applier.readinessProblem()).isEqualTo("stopped");
    assertThat(registry.get("v2p.applier.ready").gauge().value()).isZero();
  }

  /**
   * An Error, or a RuntimeException, on the thread that sends acks (here from the ack producer's
   * partitioner, inside its send) is handed to the applier thread, which sends every watermark
   * again; the sender does not die with it (it did, and no ack left again while the applier looked
   * healthy and ready: first for an Error, and for a RuntimeException thrown while the ack was
   * built, outside the handling of a send that threw).
   */
  @ParameterizedTest
  @ValueSource(strings = {"an Error", "a RuntimeException"})
  void aThrowableWhileSendingAnAck_acksGoOn(String thrown) {
    Vni vni = new Vni(thrown.equals("an Error") ? 1011 : 1013);
    AtomicBoolean failOnce = new AtomicBoolean();
    AckSendFault.set(
        () -> {
          if (failOnce.compareAndSet(true, false)) {
            throw broken(thrown);
          }
        });
    Clock clock = clock(Instant::now);
    SledApplier applier = startReady(clock);

    failOnce.set(true);
    MappingsTopic.produce(kafka, List.of(set(vip(vni, "172.30.11.1"), 1, 1, S)));
    await().atMost(DEADLINE).until(() -> !failOnce.get()); // the sender met the failure
    MappingsTopic.produce(kafka, List.of(set(vip(vni, "172.30.11.2"), 1, 1, S)));

    Map<Integer, Long> end = MappingsTopic.endOffsets(kafka);
    await()
        .atMost(DEADLINE)
        .untilAsserted(() -> assertThat(MappingsTopic.ackedBy(kafka, U.id())).isEqualTo(end));
    assertThat(applier.failure()).isNull();
  }

  /**
   * An Error, or a RuntimeException, on the ack sender that stays (here from the ack producer's
   * partitioner, once the applier thread's next step began: the step that handed the acks over ends
   * well, the next one meets the failure) stops the applier after 10 failures with no ack delivered
   * between them. Its failures alternated with good steps, which reset the count of errors in a
   * row: the applier warned forever, ready, while no ack left (and a RuntimeException thrown while
   * an ack was built ended the sender silently).
   */
  @ParameterizedTest
  @ValueSource(strings = {"an Error", "a RuntimeException"})
  void aThrowableThatStaysOnTheAckSender_stopsTheApplierAfterTenInARow(String thrown)
      throws Exception {
    AtomicBoolean broken = new AtomicBoolean();
    Semaphore stepStarted = new Semaphore(0);
    Clock clock =
        clock(
            () -> {
              stepStarted.release(); // the applier thread reads the clock as a step begins
              return Instant.now();
            });
    AckSendFault.set(
        () -> {
          if (broken.get()) {
            stepStarted.drainPermits();
            try {
              stepStarted.tryAcquire(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            throw broken(thrown);
          }
        });
    SledApplier applier = startReady(clock);

    broken.set(true);
    Vni vni = new Vni(thrown.equals("an Error") ? 1012 : 1014);
    MappingsTopic.produce(kafka, List.of(set(vip(vni, "172.30.12.1"), 1, 1, S)));

    assertThat(applier.awaitTermination(Duration.ofSeconds(90))).isTrue();
    assertThat(applier.failure())
        .hasMessageStartingWith("cannot publish acks to " + Topics.ACKS)
        .hasRootCauseMessage("a broken ack sender");
    assertThat(applier.readinessProblem()).startsWith("stopped: ");
  }

  /** What a broken ack sender throws: {@code an Error} or {@code a RuntimeException}. */
  private static RuntimeException broken(String thrown) {
    if (thrown.equals("an Error")) {
      throw new AssertionError("a broken ack sender");
    }
    return new IllegalStateException("a broken ack sender");
  }

  /** An Error (here from the device; a LinkageError of the binding, say) stops the applier. */
  @Test
  void anErrorAfterReadinessStopsTheApplier_andItsReadyGaugeDropsToZero() throws Exception {
    AtomicBoolean broken = new AtomicBoolean();
    Xde device =
        new InterposedXde(
            deviceOf(U),
            call -> {
              if (broken.get()) {
                throw new AssertionError("the binding broke during " + call);
              }
            },
            call -> {});
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SledApplier applier = start(config(U.id(), Duration.ofMinutes(10)), device, registry);
    await().atMost(DEADLINE).until(applier::isReady);
    assertThat(registry.get("v2p.applier.ready").gauge().value()).isEqualTo(1.0);

    broken.set(true);
    applier.requestReconcile();

    assertThat(applier.awaitTermination(DEADLINE)).isTrue();
    assertThat(applier.failure()).isInstanceOf(AssertionError.class);
    assertThat(applier.readinessProblem()).startsWith("stopped: ");
    assertThat(registry.get("v2p.applier.ready").gauge().value()).isZero();
  }

  @Test
  void triggersDuringAPassScheduleExactlyOneMorePass() {
    SimulatedXde device = deviceOf(U);
    ApplierConfig config = // no port polling: its ListPorts calls would count as the pass's dump
        ApplierConfig.of(U.id(), kafka.clientConfig())
            .withReconcileInterval(Duration.ofMinutes(10))
            .withFlows(FlowSettings.DEFAULT.withPortPoll(Duration.ZERO));
    SledApplier applier = start(config, device, new SimpleMeterRegistry());
    await().atMost(DEADLINE).until(applier::isReady);
    long before = applier.status().passes();
    device.setLatency(Duration.ofSeconds(1));
    long calls = device.calls();

    applier.requestReconcile();
    await().atMost(DEADLINE).until(() -> device.calls() > calls); // the pass's dump is under way
    for (int i = 0; i < 5; i++) {
      applier.requestReconcile();
    }

    await().atMost(DEADLINE).until(() -> applier.status().passes() == before + 2);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> applier.status().passes() == before + 2);
  }

  /**
   * Each applier's meters, Kafka's own client metrics among them (tagged with its sled, gone when
   * it closes), on one registry.
   */
  @Test
  void severalAppliersShareOneJvmAndOneRegistry() {
    Vip vip = vip(new Vni(1007), "172.30.7.1");
    MappingsTopic.produce(kafka, List.of(set(vip, 1, 1, T)));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<SimulatedXde> devices = List.of(deviceOf(S), deviceOf(T), deviceOf(U));
    List<SledApplier> appliers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ApplierConfig config =
          config(List.of(S, T, U).get(i).id(), Duration.ofSeconds(5)).withKafkaClientMetrics(true);
      appliers.add(start(config, devices.get(i), registry));
    }

    await().atMost(DEADLINE).until(() -> appliers.stream().allMatch(SledApplier::isReady));
    await()
        .atMost(DEADLINE)
        .until(() -> devices.stream().allMatch(d -> entry(vip, T).equals(d.get(vip))));
    assertThat(registry.find("v2p.applier.ready").gauges()).hasSize(3);
    for (Sled sled : List.of(S, T, U)) {
      String tag = sled.id().toString();
      assertThat(registry.find(CONSUMED).tag("sled", tag).meters()).as("sled %s", tag).isNotEmpty();
      assertThat(registry.find(SENT).tag("sled", tag).meters()).as("sled %s", tag).isNotEmpty();
    }
    assertThat(
            registry.find(CONSUMED).tag("sled", S.id().toString()).functionCounters().stream()
                .mapToDouble(FunctionCounter::count)
                .sum())
        .as("records the consumer of sled S read, as Kafka counts them")
        .isPositive();

    appliers.forEach(SledApplier::close);
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              assertThat(registry.find(CONSUMED).meters()).isEmpty();
              assertThat(registry.find(SENT).meters()).isEmpty();
            });
  }

  private static final String CONSUMED = "kafka.consumer.fetch.manager.records.consumed.total";
  private static final String SENT = "kafka.producer.record.send.total";

  /** A UTC clock whose instants {@code now} gives: a test's way to fail on a chosen thread. */
  private static Clock clock(Supplier<Instant> now) {
    return UtcClock.of(now);
  }

  /**
   * Sled U's applier on {@code clock} (5 s passes), its ack producer partitioned by {@link
   * AckSendFault}, once it is ready.
   */
  private SledApplier startReady(Clock clock) {
    Map<String, Object> settings = new HashMap<>(kafka.clientConfig());
    settings.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, AckSendFault.class.getName());
    SledApplier applier =
        start(
            ApplierConfig.of(U.id(), settings)
                .withReconcileInterval(Duration.ofSeconds(5))
                .withClock(clock),
            deviceOf(U),
            new SimpleMeterRegistry());
    await().atMost(DEADLINE).until(applier::isReady);
    return applier;
  }
}
