package dev.v2pledger.devstack.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.devstack.report.StaleFlows;
import dev.v2pledger.devstack.report.TruthTimeline;
import dev.v2pledger.devstack.workload.Step.Truth;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A guest on sled U talks to a remote instance that migrates from S to T: with its flow table left
 * alone the conversation goes on to S (stale, and the uncleared count grows alike); once the table
 * is cleared the real flows follow while the uncleared count keeps growing.
 */
class ConversationsTest {
  static final Duration DEADLINE = Duration.ofSeconds(20);
  static final Ipv6Addr U = Ipv6Addr.parse("fd00:1122:3344:103::1");
  static final Ipv6Addr S = Ipv6Addr.parse("fd00:1122:3344:101::1");
  static final Ipv6Addr T = Ipv6Addr.parse("fd00:1122:3344:102::1");
  static final Vni VNI = new Vni(7777);
  static final Vip LOCAL = new Vip(VNI, IpAddr.parse("172.30.0.5"));
  static final Vip REMOTE = new Vip(VNI, IpAddr.parse("172.30.0.9"));
  static final MacAddr LOCAL_MAC = MacAddr.parse("a8:40:25:00:00:05");
  static final MacAddr REMOTE_MAC = MacAddr.parse("a8:40:25:00:00:09");

  final SimulatedXde device = new SimulatedXde(U, Clock.systemUTC());
  final TruthTimeline truth =
      new TruthTimeline(
          Map.of(
              LOCAL, new XdeMapping(LOCAL, LOCAL_MAC, U),
              REMOTE, new XdeMapping(REMOTE, REMOTE_MAC, S)));

  void remoteOn(Ipv6Addr sled) {
    device.set(new XdeMapping(REMOTE, REMOTE_MAC, sled));
  }

  @Test
  void givenTheRemoteMigrated_thenUnclearedFlowsAreStale_andClearedOnesFollow() {
    String port = device.createPort(VNI, LOCAL.ip(), LOCAL_MAC);
    remoteOn(S);
    try (Conversations talk =
        Conversations.start(List.of(device), truth, 42, new SimpleMeterRegistry())) {
      await().atMost(DEADLINE).until(() -> talk.result().flowSeconds() > 0.2);
      assertThat(talk.result().staleSeconds()).isZero();
      assertThat(talk.result().staleWithoutClearingSeconds()).isZero();

      truth.record(
          Instant.now(), List.of(new Truth(REMOTE, new XdeMapping(REMOTE, REMOTE_MAC, T))));
      remoteOn(T); // the applier's set, and no ClearUft yet
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  talk.result().staleSeconds() > 0.2
                      && talk.result().staleWithoutClearingSeconds() > 0.2);

      device.clearUft(port);
      StaleFlows before = talk.result();
      await()
          .atMost(DEADLINE)
          .until(() -> talk.result().flowSeconds() > before.flowSeconds() + 0.5);
      StaleFlows after = talk.result();

      assertThat(after.staleSeconds() - before.staleSeconds())
          .as("at most the tick that was under way (a stalled tick counts 10 ticks)")
          .isLessThanOrEqualTo(0.2 + 1e-9);
      assertThat(after.staleWithoutClearingSeconds() - before.staleWithoutClearingSeconds())
          .as("the uncleared flows still go to S")
          .isGreaterThan(0.2);
      assertThat(after.cachedWithoutClearingSeconds())
          .as("the entry was right from the set on: all of it is the cached flows'")
          .isEqualTo(after.staleWithoutClearingSeconds());
      assertThat(after.cachedSeconds()).isEqualTo(after.staleSeconds());
      assertThat(device.useFlow(port, REMOTE.ip())).contains(T);
      assertThat(after.conversations()).isPositive();
      assertThat(after.portSeconds())
          .as(
              "one running port, always talking to its peer on every one of its %d flows",
              Conversations.PER_PORT)
          .isPositive()
          .isCloseTo(after.flowSeconds() / Conversations.PER_PORT, within(1e-6));
    }
  }

  @Test
  void givenThePeerStops_thenItsConversationsEnd_andNothingMoreCounts() {
    device.createPort(VNI, LOCAL.ip(), LOCAL_MAC);
    remoteOn(S);
    try (Conversations talk =
        Conversations.start(List.of(device), truth, 7, new SimpleMeterRegistry())) {
      await().atMost(DEADLINE).until(() -> talk.result().flowSeconds() > 0.2);

      truth.record(Instant.now(), List.of(new Truth(REMOTE, null)));
      StaleFlows stopped = talk.result();
      await()
          .atMost(DEADLINE)
          .until(() -> talk.result().portSeconds() > stopped.portSeconds() + 0.5);

      assertThat(talk.result().flowSeconds() - stopped.flowSeconds())
          .as("at most the tick that was under way (a stalled tick counts 10 ticks)")
          .isLessThanOrEqualTo(0.2 + 1e-9);
      assertThat(talk.result().staleSeconds()).isZero();
    }
  }

  @Test
  void givenACompositeRegistryWithAFilteringWindow_thenTheClearsSinceResetAreCounted() {
    CompositeMeterRegistry registry = new CompositeMeterRegistry();
    SimpleMeterRegistry window = new SimpleMeterRegistry();
    window.config().meterFilter(MeterFilter.deny());
    registry.add(window); // as devstack's stage window: it filters the counter out
    registry.add(new SimpleMeterRegistry());
    Counter cleared = registry.counter("v2p.applier.uft.ports.cleared", "sled", "s1");
    cleared.increment(2);
    try (Conversations talk = Conversations.start(List.of(), truth, 1, registry)) {
      talk.reset();
      cleared.increment(3);

      assertThat(talk.result().uftClears()).isEqualTo(3);
    }
  }
}
