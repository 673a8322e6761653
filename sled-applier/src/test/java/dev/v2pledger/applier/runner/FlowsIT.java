package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.macOf;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.flows.FlowSettings;
import dev.v2pledger.applier.testing.InterposedXde;
import dev.v2pledger.applier.testing.MappingsTopic;
import dev.v2pledger.applier.testing.MutableClock;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.sim.Mutation;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Cached flows and ports against a real broker. Sled U hosts an instance whose guest talks to a
 * remote instance; the remote migrates from S to T. OPTE keeps the flow's encapsulation to S in the
 * port's UFT (opte#221) unless the applier clears it. Passes are hourly here, so what happens is
 * the delta's doing, or the port watch's.
 */
@WithKafka
class FlowsIT extends AppliersOnKafka {
  static final Duration DEADLINE = Duration.ofSeconds(30);

  FlowsIT(KafkaCluster kafka) {
    super(kafka);
  }

  SledApplier start(Xde device, FlowSettings flows) {
    ApplierConfig config = config(U.id(), Duration.ofHours(1)).withFlows(flows);
    SledApplier applier = start(config, device, new SimpleMeterRegistry());
    await().atMost(DEADLINE).until(applier::isReady);
    return applier;
  }

  /** U's guest {@code local} sends to {@code remote}, which lives on S: the flow caches S. */
  String guestTalkingTo(SimulatedXde device, SledApplier applier, Vip local, Vip remote) {
    MappingsTopic.produce(kafka, List.of(set(local, 1, 1, U), set(remote, 1, 1, S)));
    String port = device.createPort(local.vni(), local.ip(), macOf(local));
    await().atMost(DEADLINE).until(() -> entry(remote, S).equals(device.get(remote)));
    awaitAcked(applier);
    assertThat(device.useFlow(port, remote.ip())).contains(S.underlay());
    return port;
  }

  void awaitAcked(SledApplier applier) {
    Map<Integer, Long> end = MappingsTopic.endOffsets(kafka);
    await()
        .atMost(DEADLINE)
        .untilAsserted(() -> assertThat(MappingsTopic.ackedBy(kafka, U.id())).isEqualTo(end));
    assertThat(applier.failure()).isNull();
  }

  /**
   * An applier on U with {@code flows} whose guest {@code local} talks to {@code remote} on S; then
   * {@code remote} migrates to T, the applier acks it and one pass ends after that. Returns the
   * guest's port.
   */
  String remoteMovedToTAndAPassRan(SimulatedXde device, FlowSettings flows, Vip local, Vip remote) {
    SledApplier applier = start(device, flows);
    String port = guestTalkingTo(device, applier, local, remote);
    long passes = applier.status().passes();

    MappingsTopic.produce(kafka, List.of(set(remote, 1, 2, T))); // the migration's outcome

    await().atMost(DEADLINE).until(() -> entry(remote, T).equals(device.get(remote)));
    awaitAcked(applier);
    applier.requestReconcile(); // a later step: the applying step flushed before it ends
    await().atMost(DEADLINE).until(() -> applier.status().passes() > passes);
    return port;
  }

  @Test
  void givenTheRemoteMigrated_thenTheFlowOnAnotherSledFollowsWithinOnePass() {
    Vip local = vip(new Vni(2001), "172.30.1.5");
    Vip remote = vip(new Vni(2001), "172.30.1.9");
    SimulatedXde device = deviceOfU();
    // no clear window: the flush is the applying step's own (a window could defer it past a pass)
    String port =
        remoteMovedToTAndAPassRan(
            device, FlowSettings.DEFAULT.withClearWindow(Duration.ZERO), local, remote);
    assertThat(device.useFlow(port, remote.ip())).contains(T.underlay());
    assertThat(device.staleFlows()).isEmpty();
  }

  @Test
  void givenInvalidationOff_thenTheFlowStillGoesToTheOldSledAfterThePass() {
    Vip local = vip(new Vni(2002), "172.30.2.5");
    Vip remote = vip(new Vni(2002), "172.30.2.9");
    SimulatedXde device = deviceOfU();
    FlowSettings noInvalidation = FlowSettings.DEFAULT.withInvalidate(false);
    String port = remoteMovedToTAndAPassRan(device, noInvalidation, local, remote);
    assertThat(device.useFlow(port, remote.ip())).as("opte#221").contains(S.underlay());
    assertThat(device.staleFlows()).hasSize(1);
  }

  /**
   * The remote moves while the clear window defers the flush (an hour here: every flush after the
   * first waits for the window's end), and the applier is stopped before the window ends, as by an
   * upgrade. The move was written and acked: the flush it is owed is made before the applier stops,
   * not left to the next process, which clears nothing before it has read the whole snapshot, and
   * never comes if none is started.
   */
  @Test
  void givenAMoveDeferredByTheClearWindow_whenTheApplierStops_thenItClearsTheFlowsBeforeItEnds() {
    Vip local = vip(new Vni(2006), "172.30.6.5");
    Vip remote = vip(new Vni(2006), "172.30.6.9");
    SimulatedXde device = deviceOfU();
    SledApplier applier = start(device, FlowSettings.DEFAULT.withClearWindow(Duration.ofHours(1)));
    String port = guestTalkingTo(device, applier, local, remote);

    MappingsTopic.produce(kafka, List.of(set(remote, 1, 2, T)));
    await().atMost(DEADLINE).until(() -> entry(remote, T).equals(device.get(remote)));
    awaitAcked(applier);
    assertThat(device.staleFlows()).as("deferred to the window's end").hasSize(1);

    applier.close();

    assertThat(applier.stoppedByClose()).isTrue();
    assertThat(device.useFlow(port, remote.ip())).contains(T.underlay());
    assertThat(device.staleFlows()).isEmpty();
  }

  @Test
  void givenXdeCreatesAndDestroysPorts_thenTheApplierRepairsTheirSideEffectsWithoutATrigger() {
    Vip migrating = vip(new Vni(2003), "172.30.3.9");
    SimulatedXde device = deviceOfU();
    MappingsTopic.produce(kafka, List.of(set(migrating, 1, 1, S)));
    SledApplier applier = start(device, FlowSettings.DEFAULT);
    await().atMost(DEADLINE).until(() -> entry(migrating, S).equals(device.get(migrating)));

    // a failed migration into U: the target port's creation installs "VIP -> U"
    device.createPort(migrating.vni(), migrating.ip(), macOf(migrating));
    await().atMost(DEADLINE).until(() -> entry(migrating, S).equals(device.get(migrating)));
    // and its destruction removes the entry
    device.destroyPort(migrating.vni(), migrating.ip());
    await().atMost(DEADLINE).until(() -> entry(migrating, S).equals(device.get(migrating)));

    assertThat(device.mutations())
        .filteredOn(m -> m.vip().equals(migrating) && m.op().byApplier())
        .as("the initial set and one repair after each port operation")
        .hasSize(3);
  }

  /**
   * A guest on U sends to the remote right before and right after every call the applier makes on
   * the device, so a packet lands between any two of them. The remote moves from S to T: the
   * guest's flow ends up going to T, none stays stale. Were a port's UFT cleared before the write
   * instead of after it, the packet in between would cache the old entry again, with no clear to
   * come.
   */
  @Test
  void givenAGuestSendingBetweenAnyTwoCalls_thenItsFlowFollowsTheMove_theClearComesAfterTheWrite() {
    Vip local = vip(new Vni(2004), "172.30.4.5");
    Vip remote = vip(new Vni(2004), "172.30.4.9");
    SimulatedXde device = deviceOfU();
    AtomicReference<String> guest = new AtomicReference<>();
    Runnable send =
        () -> {
          String port = guest.get();
          if (port != null) {
            device.useFlow(port, remote.ip());
          }
        };
    InterposedXde busy = InterposedXde.aroundEveryCall(device, send);
    SledApplier applier = start(busy, FlowSettings.DEFAULT);
    guest.set(guestTalkingTo(device, applier, local, remote));

    MappingsTopic.produce(kafka, List.of(set(remote, 1, 2, T)));

    await().atMost(DEADLINE).until(() -> entry(remote, T).equals(device.get(remote)));
    await().atMost(DEADLINE).until(() -> device.staleFlows().isEmpty());
    assertThat(device.useFlow(guest.get(), remote.ip())).contains(T.underlay());
    assertThat(applier.failure()).isNull();
  }

  /**
   * XDE creates a port, then destroys it, each time right after a pass read the device and before
   * the pass acts on what it read: the pass cannot see the side effect ("VIP -> U" installed, then
   * the entry removed). The port watch sees the ports changed at its next poll and asks for another
   * pass, which repairs it.
   */
  @Test
  void givenXdeCreatesOrDestroysAPortDuringAPass_thenTheNextPassRepairsItsSideEffect() {
    Vip migrating = vip(new Vni(2005), "172.30.5.9");
    SimulatedXde device = deviceOfU();
    AtomicReference<Runnable> afterNextDump = new AtomicReference<>();
    InterposedXde racing =
        InterposedXde.afterEachCall(
            device,
            call -> {
              Runnable race = call.equals("DumpVirt2Phys") ? afterNextDump.getAndSet(null) : null;
              if (race != null) {
                race.run();
              }
            });
    MappingsTopic.produce(kafka, List.of(set(migrating, 1, 1, S)));
    SledApplier applier = start(racing, FlowSettings.DEFAULT);
    await().atMost(DEADLINE).until(() -> entry(migrating, S).equals(device.get(migrating)));

    record Race(Mutation.Op sideEffect, Runnable xde) {}
    List<Race> races =
        List.of(
            new Race(
                Mutation.Op.PORT_CREATE,
                () -> device.createPort(migrating.vni(), migrating.ip(), macOf(migrating))),
            new Race(
                Mutation.Op.PORT_DESTROY,
                () -> device.destroyPort(migrating.vni(), migrating.ip())));
    for (Race race : races) {
      int mark = device.mutationCount();
      afterNextDump.set(race.xde());
      applier.requestReconcile();
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  device.mutationsSince(mark).size() >= 2 // the side effect and a repair
                      && entry(migrating, S).equals(device.get(migrating)));
      assertThat(device.mutationsSince(mark))
          .as("XDE's side effect during the pass, then the repair")
          .extracting(Mutation::op)
          .containsExactly(race.sideEffect(), Mutation.Op.SET);
    }
    assertThat(applier.failure()).isNull();
  }

  static SimulatedXde deviceOfU() {
    return new SimulatedXde(U.underlay(), MutableClock.at("2025-01-01T00:00:00Z"));
  }
}
