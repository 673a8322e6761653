package dev.v2pledger.applier.flows;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.macOf;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.applier.reconcile.Desired;
import dev.v2pledger.applier.reconcile.Reconciler;
import dev.v2pledger.applier.testing.MutableClock;
import dev.v2pledger.applier.testing.Records.Sled;
import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Flow invalidation and port polling against the simulated device, which keeps each port's cached
 * flows as OPTE does: a flow to a VIP encapsulates with the entry it was set up with until its
 * port's UFT is cleared. This sled is U; its ports' instances are in the desired table.
 */
class PortKeeperTest {
  static final Vni OTHER_VNI = new Vni(8888);
  static final Vip LOCAL_A = vip("172.30.0.5");
  static final Vip LOCAL_B = vip("172.30.0.6");
  static final Vip LOCAL_OTHER = vip(OTHER_VNI, "172.30.0.7");
  static final Vip REMOTE = vip("172.30.0.9");
  static final Vip REMOTE_OTHER = vip(OTHER_VNI, "172.30.0.9");
  static final Duration WINDOW = Duration.ofMillis(100);

  final SimulatedXde device =
      new SimulatedXde(U.underlay(), MutableClock.at("2025-01-01T00:00:00Z"));
  final TrackedXde xde = new TrackedXde(device);
  final Desired desired = new Desired(Set.of(Vni.SERVICES));
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final FlowMetrics metrics = new FlowMetrics(registry, Tags.empty());
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final AtomicInteger passesAsked = new AtomicInteger();
  long version = 1;

  PortKeeper keeper(FlowSettings settings) {
    return keeper(xde, settings);
  }

  /** A keeper over {@code tracked}: a fresh one plays a process started again on this device. */
  PortKeeper keeper(TrackedXde tracked, FlowSettings settings) {
    return new PortKeeper(
        tracked, desired, settings, metrics, passesAsked::incrementAndGet, now::get);
  }

  PortKeeper keeper() {
    return keeper(FlowSettings.DEFAULT);
  }

  /** An instance of this sled: a port, and its record in the desired table. */
  String localPort(Vip vip) {
    desired.offer(set(vip, 1, version++, U));
    return device.createPort(vip.vni(), vip.ip(), macOf(vip));
  }

  /** The applier moves {@code vip} to {@code sled}: desired, then the device. */
  void move(Vip vip, Sled sled) {
    desired.offer(set(vip, 1, version++, sled));
    xde.set(entry(vip, sled));
  }

  /** LOCAL_A's port, whose guest has a flow to REMOTE while REMOTE is on S. */
  String talkingToRemoteOnS(PortKeeper keeper) {
    String a = localPort(LOCAL_A);
    move(REMOTE, S);
    step(keeper);
    device.useFlow(a, REMOTE.ip());
    return a;
  }

  void step(PortKeeper keeper) {
    keeper.poll();
    keeper.flush();
  }

  void later(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void givenARemoteMoved_thenEveryLocalPortInItsVniGoesToTheNewSled_andOtherVnisKeepTheirFlows() {
    PortKeeper keeper = keeper();
    String a = localPort(LOCAL_A);
    String b = localPort(LOCAL_B);
    String other = localPort(LOCAL_OTHER);
    move(REMOTE, S);
    move(REMOTE_OTHER, S);
    step(keeper);
    assertThat(device.useFlow(a, REMOTE.ip())).contains(S.underlay());
    assertThat(device.useFlow(b, REMOTE.ip())).contains(S.underlay());
    assertThat(device.useFlow(other, REMOTE_OTHER.ip())).contains(S.underlay());
    later(WINDOW);

    move(REMOTE, T);
    step(keeper);

    assertThat(device.useFlow(a, REMOTE.ip())).contains(T.underlay());
    assertThat(device.useFlow(b, REMOTE.ip())).contains(T.underlay());
    assertThat(device.staleFlows()).isEmpty();
    assertThat(device.flows()).filteredOn(f -> f.port().equals(other)).hasSize(1);
    assertThat(metrics.portsCleared.count()).isEqualTo(2 + 3); // 3 at the first flush (all VNIs)
  }

  @Test
  void givenManyChangesInOneWindow_thenEachPortIsClearedOnce_andTheRestAtTheWindowsEnd() {
    PortKeeper keeper = keeper();
    String a = localPort(LOCAL_A);
    step(keeper);
    double before = metrics.clearCalls.count();
    later(WINDOW);

    move(REMOTE, S);
    step(keeper); // leading edge: at once
    device.useFlow(a, REMOTE.ip());
    for (int i = 0; i < 20; i++) {
      later(Duration.ofMillis(2));
      move(REMOTE, i % 2 == 0 ? T : S);
      step(keeper);
    }
    assertThat(metrics.clearCalls.count() - before).as("within the window").isEqualTo(1);
    assertThat(keeper.nanosUntilDue()).isPositive().isLessThanOrEqualTo(WINDOW.toNanos());
    assertThat(device.useFlow(a, REMOTE.ip()))
        .as("stale until the window ends")
        .contains(S.underlay());

    later(WINDOW);
    step(keeper);

    assertThat(metrics.clearCalls.count() - before).isEqualTo(2);
    assertThat(device.useFlow(a, REMOTE.ip())).contains(device.get(REMOTE).underlayIp());
  }

  @Test
  void givenInvalidationOff_thenNoPortIsCleared_andTheFlowStaysStale() {
    PortKeeper keeper = keeper(FlowSettings.DEFAULT.withInvalidate(false));
    String a = talkingToRemoteOnS(keeper);

    move(REMOTE, T);
    later(WINDOW);
    step(keeper);

    assertThat(metrics.clearCalls.count()).isZero();
    assertThat(device.useFlow(a, REMOTE.ip())).contains(S.underlay());
    assertThat(keeper.nanosUntilDue())
        .isLessThanOrEqualTo(FlowSettings.DEFAULT_PORT_POLL.toNanos());
  }

  @Test
  void givenAPortThatIsNotRunning_thenItIsOwedAClear_andGetsItWhenItRunsAgain() {
    PortKeeper keeper = keeper();
    String a = talkingToRemoteOnS(keeper);
    device.setPortState(a, "paused");
    later(WINDOW);

    move(REMOTE, T);
    step(keeper);
    assertThat(metrics.owed.get()).isEqualTo(1);
    later(WINDOW);
    step(keeper);
    assertThat(metrics.owed.get()).as("still paused").isEqualTo(1);

    device.setPortState(a, PortInfo.RUNNING);
    later(WINDOW);
    step(keeper);

    assertThat(metrics.owed.get()).isZero();
    assertThat(device.useFlow(a, REMOTE.ip())).contains(T.underlay());
  }

  @Test
  void givenAPortWhoseVniIsUnknownAtAChange_thenItIsClearedOnceItsRecordArrives() {
    PortKeeper keeper = keeper();
    String early = device.createPort(LOCAL_A.vni(), LOCAL_A.ip(), macOf(LOCAL_A)); // no record yet
    Vip serviceVip = vip(Vni.SERVICES, "172.31.255.1");
    String service = device.createPort(Vni.SERVICES, serviceVip.ip(), macOf(serviceVip));
    desired.offer(set(serviceVip, 1, version++, U)); // in an excluded VNI: never a port's VNI
    move(REMOTE, S);
    step(keeper);
    device.useFlow(early, REMOTE.ip());
    later(WINDOW);
    move(REMOTE, T);
    step(keeper);
    assertThat(device.useFlow(early, REMOTE.ip()))
        .as("VNI unknown: left alone")
        .contains(S.underlay());
    assertThat(metrics.unknownVni.get()).isEqualTo(2);

    desired.offer(set(LOCAL_A, 1, version++, U)); // its record arrives (no write for it here)
    move(REMOTE_OTHER, T); // a flush for another VNI finds the missed port's VNI
    later(WINDOW);
    step(keeper);

    assertThat(device.useFlow(early, REMOTE.ip())).contains(T.underlay());
    assertThat(metrics.unknownVni.get()).as("the service port: VNI 100 is excluded").isEqualTo(1);
    assertThat(device.flows()).noneMatch(f -> f.port().equals(service));
  }

  /**
   * As above, but nothing else is flushed after the port's record arrives: its delta failed and the
   * retrying pass found the entry right (the port's creation had installed it), so nothing was
   * written. Learning the port's VNI is reason enough for a flush.
   */
  @Test
  void givenAPortWhoseVniIsUnknownAtAChange_whenItsRecordArrivesWithoutAWrite_thenItIsCleared() {
    PortKeeper keeper = keeper();
    String early = device.createPort(LOCAL_A.vni(), LOCAL_A.ip(), macOf(LOCAL_A)); // no record yet
    move(REMOTE, S);
    step(keeper);
    device.useFlow(early, REMOTE.ip());
    later(WINDOW);
    move(REMOTE, T);
    step(keeper); // VNI unknown: left alone

    desired.offer(set(LOCAL_A, 1, version++, U)); // the entry is there already: nothing written
    later(WINDOW);
    step(keeper);

    assertThat(device.useFlow(early, REMOTE.ip())).contains(T.underlay());
  }

  /**
   * A port found in another VPC alone (same MAC and IP) when its own VPC changed; its own record
   * arrives later and writes nothing, and the next flush is for an unrelated VNI. The port learned
   * a VNI that changed since it was listed: it is cleared.
   */
  @Test
  void givenAPortKnownInATwinVpcOnly_whenItLearnsItsOwnVniThatChanged_thenItIsCleared() {
    PortKeeper keeper = keeper();
    Vip mine = LOCAL_OTHER;
    Vip twin = vip(LOCAL_OTHER.ip().toString()); // another VPC's NIC, same MAC and IP, on S
    move(twin, S);
    String port = device.createPort(mine.vni(), mine.ip(), macOf(mine)); // its record not read yet
    move(REMOTE_OTHER, S);
    step(keeper);
    device.useFlow(port, REMOTE_OTHER.ip());
    later(WINDOW);
    move(REMOTE_OTHER, T);
    step(keeper); // found in the twin's VNI only: not a target
    assertThat(device.useFlow(port, REMOTE_OTHER.ip())).contains(S.underlay());

    desired.offer(set(mine, 1, version++, U)); // nothing written
    later(WINDOW);
    move(vip(new Vni(9999), "10.9.9.9"), T); // an unrelated change
    step(keeper);

    assertThat(device.useFlow(port, REMOTE_OTHER.ip())).contains(T.underlay());
    assertThat(device.staleFlows()).isEmpty();
  }

  @Test
  void givenAPortThatLearnsAVniThatDidNotChange_thenItIsNotCleared() {
    PortKeeper keeper = keeper();
    move(REMOTE, S);
    step(keeper); // the first flush after start is behind us
    later(WINDOW);
    String early = device.createPort(LOCAL_A.vni(), LOCAL_A.ip(), macOf(LOCAL_A)); // no record yet
    move(vip(new Vni(9999), "10.9.9.9"), T); // a change elsewhere lists it: unknown
    step(keeper);
    device.useFlow(early, REMOTE.ip());
    double cleared = metrics.portsCleared.count();

    desired.offer(set(LOCAL_A, 1, version++, U));
    later(WINDOW);
    step(keeper);

    assertThat(metrics.portsCleared.count())
        .as("nothing in its VNI changed since")
        .isEqualTo(cleared);
    assertThat(device.useFlow(early, REMOTE.ip())).contains(S.underlay());
  }

  /**
   * The applier loop's order (poll, a pass if one was asked for, flush), with its pass schedule:
   * asks made before a pass runs make one pass.
   */
  final AtomicBoolean passWanted = new AtomicBoolean();

  int passesRun;

  PortKeeper loopKeeper(FlowSettings settings) {
    return new PortKeeper(xde, desired, settings, metrics, () -> passWanted.set(true), now::get);
  }

  void loopStep(PortKeeper keeper) {
    keeper.poll();
    if (passWanted.getAndSet(false)) {
      passesRun++;
    }
    keeper.flush();
  }

  @Test
  void givenPollingOff_aChangeAFlushsListFinds_runsAPassAndOneMoreAfterIt() {
    PortKeeper keeper = loopKeeper(FlowSettings.DEFAULT.withPortPoll(Duration.ZERO));
    localPort(LOCAL_A);
    move(REMOTE, S);
    loopStep(keeper); // the baseline list
    later(WINDOW);
    localPort(LOCAL_B);
    move(REMOTE, T);
    loopStep(keeper); // the flush's list finds the new port

    loopStep(keeper);
    assertThat(passesRun).as("the pass the change asked for").isEqualTo(1);
    loopStep(keeper);
    assertThat(passesRun).as("and one more after it").isEqualTo(2);
    loopStep(keeper);
    assertThat(passesRun).isEqualTo(2);
  }

  /** The flush's list finds a change just before a poll is due: the follow-up is not lost. */
  @Test
  void givenAChangeAFlushsListFindsJustBeforeAPoll_thenOneMorePassRunsAfterThePassItAskedFor() {
    PortKeeper keeper = loopKeeper(FlowSettings.DEFAULT);
    Duration poll = FlowSettings.DEFAULT_PORT_POLL;
    localPort(LOCAL_A);
    move(REMOTE, S);
    loopStep(keeper); // the baseline list; the next flush is a window later
    later(WINDOW);
    loopStep(keeper); // a poll: the next one is due a poll interval later
    later(poll.minusMillis(1));
    localPort(LOCAL_B);
    move(REMOTE, T);
    loopStep(keeper); // no poll due; the flush's list finds the new port
    later(Duration.ofMillis(1));

    loopStep(keeper); // a poll is due: the pass asked for runs
    assertThat(passesRun).isEqualTo(1);
    later(poll);
    loopStep(keeper);
    assertThat(passesRun).as("one more, for a side effect that lands late").isEqualTo(2);
    later(poll);
    loopStep(keeper);
    assertThat(passesRun).isEqualTo(2);
  }

  @Test
  void givenTwoVpcsGivingTheSameMacAndIp_andThePortsOwnRecordLast_thenItsVpcsChangesStillClearIt() {
    PortKeeper keeper = keeper();
    Vip mine = LOCAL_OTHER;
    Vip twin = vip(LOCAL_OTHER.ip().toString()); // another VPC's NIC, same MAC and IP, on S
    assertThat(macOf(twin)).isEqualTo(macOf(mine));
    move(twin, S);
    String port = device.createPort(mine.vni(), mine.ip(), macOf(mine)); // its record not read yet
    move(REMOTE_OTHER, S);
    step(keeper); // the port is found in the twin's VNI only
    assertThat(device.useFlow(port, REMOTE_OTHER.ip())).contains(S.underlay());
    later(WINDOW);

    desired.offer(set(mine, 1, version++, U)); // its own record arrives (no write for it here)
    step(keeper);
    later(WINDOW);
    move(REMOTE_OTHER, T);
    step(keeper);

    assertThat(device.useFlow(port, REMOTE_OTHER.ip())).contains(T.underlay());
    assertThat(device.staleFlows()).isEmpty();
  }

  /**
   * A move whose write failed leaves the old entry, and a guest's flow caches it after the flush
   * that followed; then XDE itself installs the entry desired holds (the migrating instance's port
   * created on this sled). The pass finds the entry right and writes nothing: the VNI must still be
   * flushed, or the flow stays on the old sled until it idles out (FlowsPropertyTest found it).
   */
  @Test
  void givenAFailedMoveThatXdeThenMakesItself_thenFlowsCachedMeanwhileAreCleared() {
    PortKeeper keeper = keeper();
    String a = talkingToRemoteOnS(keeper);
    Reconciler reconciler = new Reconciler(xde, now::get);
    desired.offer(set(REMOTE, 1, version++, U)); // REMOTE's instance migrates to this sled
    device.failNextWrites(1);
    assertThatThrownBy(() -> xde.set(entry(REMOTE, U))).isInstanceOf(XdeException.class);
    later(WINDOW);
    step(keeper); // the failed write's VNI is flushed
    assertThat(device.useFlow(a, REMOTE.ip())).contains(S.underlay()); // still the entry in force

    device.createPort(REMOTE.vni(), REMOTE.ip(), macOf(REMOTE)); // XDE installs REMOTE -> U
    later(WINDOW);
    keeper.poll();
    reconciler.reconcile(desired);
    keeper.flush();

    assertThat(device.get(REMOTE)).isEqualTo(entry(REMOTE, U));
    assertThat(device.staleFlows()).isEmpty();
    assertThat(device.useFlow(a, REMOTE.ip())).contains(U.underlay());
  }

  @Test
  void givenClearUftFails_thenTheMappingIsSet_andThePortIsClearedAtALaterFlush() {
    PortKeeper keeper = keeper();
    String a = talkingToRemoteOnS(keeper);
    later(WINDOW);

    move(REMOTE, T);
    device.failNextWrites(1); // the ClearUft
    step(keeper);

    assertThat(device.get(REMOTE)).isEqualTo(entry(REMOTE, T));
    assertThat(metrics.clearFailures.count()).isEqualTo(1);
    assertThat(metrics.owed.get()).isEqualTo(1);
    later(WINDOW);
    step(keeper); // the owed port runs: observed at the poll, cleared at the flush
    assertThat(device.useFlow(a, REMOTE.ip())).contains(T.underlay());
    assertThat(metrics.owed.get()).isZero();
  }

  /**
   * A port owed a clear (paused at the change) is destroyed, and nothing changes on the sled after
   * that: the instance's record was cleared before, so the pass the port poll asks for writes
   * nothing and no flush runs. The gauges say what the polls see: nothing owed, no unknown port
   * (they kept counting the port gone until some later change flushed, on a quiet sled for ever).
   */
  @Test
  void givenAnOwedPortDestroyed_andNothingChangesAfter_thenTheGaugesNoLongerCountIt() {
    PortKeeper keeper = keeper();
    String a = talkingToRemoteOnS(keeper);
    String service = device.createPort(Vni.SERVICES, LOCAL_B.ip(), macOf(LOCAL_B));
    device.setPortState(a, "paused");
    later(WINDOW);
    move(REMOTE, T);
    step(keeper);
    assertThat(metrics.owed.get()).isEqualTo(1);
    assertThat(metrics.unknownVni.get()).isEqualTo(1);
    desired.offer(cleared(LOCAL_A, 1, version++)); // the instance stops: its record first
    xde.clear(LOCAL_A);
    later(WINDOW);
    step(keeper);
    assertThat(metrics.owed.get()).as("still paused").isEqualTo(1);

    device.destroyPort(LOCAL_A.vni(), LOCAL_A.ip()); // then its port; the service zone's goes too
    device.destroyPort(Vni.SERVICES, LOCAL_B.ip());
    for (int i = 0; i < 3; i++) {
      later(WINDOW);
      keeper.poll();
      new Reconciler(xde, now::get).reconcile(desired); // finds the table right: writes nothing
      keeper.flush();
    }

    assertThat(metrics.ports.get()).isZero();
    assertThat(metrics.owed.get()).as("owed, of a port gone").isZero();
    assertThat(metrics.unknownVni.get()).as("unknown, of a port gone").isZero();
    assertThat(service).isNotEqualTo(a);
  }

  @Test
  void givenAPortDestroyedBetweenListAndClear_thenItIsForgotten_notOwed() {
    FlowInvalidation invalidation = new FlowInvalidation(xde, new PortVnis(desired), metrics);
    localPort(LOCAL_A);
    List<PortInfo> listed = device.listPorts();
    device.destroyPort(LOCAL_A.vni(), LOCAL_A.ip());
    invalidation.changed(Set.of(LOCAL_A.vni()));

    assertThat(invalidation.flush(listed)).isZero();

    assertThat(metrics.clearFailures.count()).isEqualTo(1);
    assertThat(metrics.owed.get()).isZero();
    assertThat(invalidation.hasWork()).isFalse();
  }

  /**
   * A port owed a clear (paused at the change) is destroyed and XDE creates another under the same
   * datalink name, for an instance whose record is not read yet, so its VNI is unknown. It runs: it
   * gets the clear owed, as any owed port that runs does, and stops asking for flushes. (The
   * simulated device never reuses a name: the first list is written as XDE would give it.)
   */
  @Test
  void givenAnOwedPortRecreatedUnderItsNameWithAnUnknownVni_thenItIsClearedOnce_andNoLongerOwed() {
    FlowInvalidation invalidation = new FlowInvalidation(xde, new PortVnis(desired), metrics);
    desired.offer(set(LOCAL_A, 1, version++, U));
    invalidation.flush(List.of()); // the first flush after start: no port yet
    invalidation.changed(Set.of(LOCAL_A.vni()));
    invalidation.flush(List.of(PortInfo.of("opte0", macOf(LOCAL_A), LOCAL_A.ip(), "paused")));
    assertThat(metrics.owed.get()).isEqualTo(1);

    Vip unread = vip("172.30.0.20"); // no record yet
    String again = device.createPort(unread.vni(), unread.ip(), macOf(unread));
    assertThat(again).isEqualTo("opte0");
    List<PortInfo> listed = device.listPorts();
    invalidation.observe(listed); // a poll finds the owed port running
    assertThat(invalidation.hasWork()).isTrue();
    invalidation.flush(listed);

    assertThat(metrics.clearCalls.count()).isEqualTo(1);
    assertThat(metrics.owed.get()).isZero();
    invalidation.observe(listed);
    assertThat(invalidation.hasWork()).as("nothing owed: no flush at every poll").isFalse();
  }

  @Test
  void givenPortsCreatedOrDestroyed_thenAPollAsksForAPass_andAStateChangeDoesNot() {
    PortKeeper keeper = keeper();
    String a = localPort(LOCAL_A);
    step(keeper);
    assertThat(passesAsked).as("the first list is the baseline").hasValue(0);

    later(FlowSettings.DEFAULT_PORT_POLL);
    localPort(LOCAL_B);
    step(keeper);
    assertThat(passesAsked).hasValue(1);
    later(FlowSettings.DEFAULT_PORT_POLL);
    step(keeper);
    assertThat(passesAsked).as("one more, for a side effect that lands late").hasValue(2);

    later(FlowSettings.DEFAULT_PORT_POLL);
    device.setPortState(a, "paused");
    step(keeper);
    assertThat(passesAsked).hasValue(2);

    later(Duration.ofMillis(10)); // not due yet
    device.destroyPort(LOCAL_A.vni(), LOCAL_A.ip());
    step(keeper);
    assertThat(passesAsked).hasValue(2);
    later(FlowSettings.DEFAULT_PORT_POLL);
    step(keeper);
    assertThat(passesAsked).hasValue(3);
    assertThat(metrics.portChanges.count()).isEqualTo(2);
  }

  @Test
  void givenListPortsFails_thenTheChangeWaits_andIsFlushedOnceItWorks() {
    PortKeeper keeper = keeper(FlowSettings.DEFAULT.withPortPoll(Duration.ZERO));
    String a = talkingToRemoteOnS(keeper);
    later(WINDOW);

    move(REMOTE, T);
    device.failNextCalls(1); // the ListPorts of the flush
    step(keeper);
    assertThat(metrics.pollFailures.count()).isEqualTo(1);
    assertThat(device.useFlow(a, REMOTE.ip())).contains(S.underlay());

    later(WINDOW);
    step(keeper);
    assertThat(device.useFlow(a, REMOTE.ip())).contains(T.underlay());
    assertThat(metrics.polls.count()).as("polling off").isZero();
  }

  @Test
  void givenNoWindowAndListPortsFailing_thenTheNextFlushWaits_ratherThanSpin() {
    PortKeeper keeper =
        keeper(FlowSettings.DEFAULT.withClearWindow(Duration.ZERO).withPortPoll(Duration.ZERO));
    localPort(LOCAL_A);
    move(REMOTE, S);
    device.failNextCalls(1);
    step(keeper);

    assertThat(metrics.pollFailures.count()).isEqualTo(1);
    assertThat(keeper.nanosUntilDue()).isPositive();
  }

  /**
   * A move written but not yet flushed (deferred to the window's end) when the applier stops: the
   * next process's first pass finds the table right and writes nothing, so only its first flush,
   * which clears every port, sends the flow to the new sled.
   */
  @Test
  void givenAMoveNotYetFlushedWhenTheApplierStops_thenTheNextProcessClearsThePortAtItsFirstFlush() {
    PortKeeper before = keeper();
    String a = talkingToRemoteOnS(before);
    later(Duration.ofMillis(20));
    move(REMOTE, T);
    step(before); // within the window: deferred, and then the process is gone
    assertThat(device.useFlow(a, REMOTE.ip())).contains(S.underlay());

    PortKeeper after = keeper(new TrackedXde(device), FlowSettings.DEFAULT);
    step(after);

    assertThat(device.useFlow(a, REMOTE.ip())).contains(T.underlay());
    assertThat(device.staleFlows()).isEmpty();
  }

  /**
   * A port created during the pass, whose guest set a flow up before the pass repaired the entry:
   * the poll's list, taken before the pass, does not have it, so the flush lists the ports again.
   */
  @Test
  void givenAPortCreatedDuringThePass_thenTheFlushAfterThePassClearsIt() {
    PortKeeper keeper = keeper();
    localPort(LOCAL_A);
    move(REMOTE, S);
    step(keeper);
    later(WINDOW);

    keeper.poll(); // lists A only
    String b = localPort(LOCAL_B);
    device.useFlow(b, REMOTE.ip()); // before the pass's write: cached on S
    move(REMOTE, T); // the pass repairs the entry
    keeper.flush();

    assertThat(device.useFlow(b, REMOTE.ip())).contains(T.underlay());
    assertThat(device.staleFlows()).isEmpty();
  }

  @Test
  void givenAFlush_thenTheV2PTableIsNotWritten() {
    PortKeeper keeper = keeper();
    localPort(LOCAL_A);
    move(REMOTE, S);
    int mark = device.mutationCount();
    later(WINDOW);
    step(keeper);
    assertThat(metrics.portsCleared.count()).isEqualTo(1);
    assertThat(device.mutationsSince(mark)).isEmpty();
  }
}
