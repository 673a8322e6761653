package dev.v2pledger.applier.xde.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.applier.testing.MutableClock;
import dev.v2pledger.applier.xde.OpteError;
import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.Mutation.Op;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The simulated device's ports and their cached flows (OPTE's UFT, opte#221). */
class SimulatedXdePortsTest {
  static final Ipv6Addr THIS_SLED = Ipv6Addr.parse("fd00:1122:3344:101::1");
  static final Ipv6Addr OLD_SLED = Ipv6Addr.parse("fd00:1122:3344:102::1");
  static final Ipv6Addr NEW_SLED = Ipv6Addr.parse("fd00:1122:3344:103::1");
  static final MacAddr MAC = MacAddr.parse("a8:40:25:f1:6e:6f");
  static final MacAddr REMOTE_MAC = MacAddr.parse("a8:40:25:00:00:09");
  static final Vni VNI = new Vni(7777);
  static final IpAddr LOCAL = IpAddr.parse("172.30.0.5");
  static final IpAddr REMOTE = IpAddr.parse("172.30.0.9");
  static final Vip REMOTE_VIP = new Vip(VNI, REMOTE);

  final MutableClock clock = MutableClock.at("2025-01-01T00:00:00Z");
  final SimulatedXde xde = new SimulatedXde(THIS_SLED, clock);

  void remoteOn(Ipv6Addr sled) {
    xde.set(new XdeMapping(REMOTE_VIP, REMOTE_MAC, sled));
  }

  @Test
  void givenTheRemoteMoved_thenTheFlowKeepsTheOldUnderlay_untilClearUft() {
    String port = xde.createPort(VNI, LOCAL, MAC);
    remoteOn(OLD_SLED);
    assertThat(xde.useFlow(port, REMOTE)).contains(OLD_SLED);

    remoteOn(NEW_SLED);

    assertThat(xde.useFlow(port, REMOTE)).as("the cached flow").contains(OLD_SLED);
    assertThat(xde.staleFlowCount()).isEqualTo(1);
    assertThat(xde.staleFlows())
        .singleElement()
        .satisfies(f -> assertThat(f.cached().underlayIp()).isEqualTo(OLD_SLED));

    xde.clearUft(port);

    assertThat(xde.flows()).isEmpty();
    assertThat(xde.useFlow(port, REMOTE)).as("processed afresh").contains(NEW_SLED);
    assertThat(xde.staleFlowCount()).isZero();
  }

  @Test
  void aFlowRemembersWhenItWasMadeAndLastUsed() {
    String port = xde.createPort(VNI, LOCAL, MAC);
    remoteOn(OLD_SLED);
    Instant first = clock.instant();
    xde.useFlow(port, REMOTE);
    clock.advance(Duration.ofSeconds(5));
    xde.useFlow(port, REMOTE);

    assertThat(xde.flows())
        .containsExactly(
            new SimFlow(
                "opte0",
                REMOTE_VIP,
                new XdeMapping(REMOTE_VIP, REMOTE_MAC, OLD_SLED),
                first,
                first.plusSeconds(5)));
  }

  @Test
  void givenNoV2pEntry_thenThePacketIsDroppedAndNothingIsCached() {
    String port = xde.createPort(VNI, LOCAL, MAC);
    assertThat(xde.useFlow(port, REMOTE)).isEmpty();
    assertThat(xde.flows()).isEmpty();

    remoteOn(OLD_SLED);
    assertThat(xde.useFlow(port, REMOTE)).contains(OLD_SLED);
  }

  @Test
  void givenTheEntryWasCleared_thenTheFlowIsStaleAndStillSends() {
    String port = xde.createPort(VNI, LOCAL, MAC);
    remoteOn(OLD_SLED);
    xde.useFlow(port, REMOTE);

    xde.clear(REMOTE_VIP);

    assertThat(xde.useFlow(port, REMOTE)).contains(OLD_SLED);
    assertThat(xde.staleFlowCount()).isEqualTo(1);
  }

  @Test
  void aSameTargetRewriteIsNotStale_anotherMacIs() {
    String port = xde.createPort(VNI, LOCAL, MAC);
    remoteOn(OLD_SLED);
    xde.useFlow(port, REMOTE);

    remoteOn(OLD_SLED); // a re-assert
    assertThat(xde.staleFlowCount()).isZero();
    xde.set(new XdeMapping(REMOTE_VIP, MAC, OLD_SLED));
    assertThat(xde.staleFlowCount()).isEqualTo(1);
  }

  @Test
  void flowsIdleForTheTtlExpire_usedOnesStay() {
    String port = xde.createPort(VNI, LOCAL, MAC);
    Vip other = new Vip(VNI, IpAddr.parse("172.30.0.10"));
    remoteOn(OLD_SLED);
    xde.set(new XdeMapping(other, REMOTE_MAC, OLD_SLED));
    xde.useFlow(port, REMOTE);
    xde.useFlow(port, other.ip());

    clock.advance(Duration.ofSeconds(59));
    xde.useFlow(port, REMOTE);
    assertThat(xde.expireIdleFlows()).as("nothing idle for 60 s yet").isZero();
    clock.advance(Duration.ofSeconds(1));

    assertThat(xde.expireIdleFlows()).isEqualTo(1);
    assertThat(xde.flows()).extracting(SimFlow::remote).containsExactly(REMOTE_VIP);
    assertThat(SimulatedXde.FLOW_TTL).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void anExpiredStaleFlowIsMadeAgainWithTheCurrentEntry() {
    String port = xde.createPort(VNI, LOCAL, MAC);
    remoteOn(OLD_SLED);
    xde.useFlow(port, REMOTE);
    remoteOn(NEW_SLED);

    clock.advance(Duration.ofSeconds(10));
    assertThat(xde.expireIdleFlows(Duration.ofSeconds(10))).isEqualTo(1);

    assertThat(xde.useFlow(port, REMOTE)).contains(NEW_SLED);
  }

  @Test
  void listPortsIsInXdesOrderByVniThenMac() {
    xde.createPort(VNI, LOCAL, MacAddr.parse("a8:40:25:00:00:02"));
    xde.createPort(VNI, IpAddr.parse("fd77::5"), MacAddr.parse("a8:40:25:00:00:01"));
    xde.createPort(new Vni(42), IpAddr.parse("10.0.0.1"), MacAddr.parse("a8:40:25:00:00:03"));

    assertThat(xde.listPorts())
        .containsExactly(
            PortInfo.of(
                "opte2", MacAddr.parse("a8:40:25:00:00:03"), IpAddr.parse("10.0.0.1"), "running"),
            PortInfo.of(
                "opte1", MacAddr.parse("a8:40:25:00:00:01"), IpAddr.parse("fd77::5"), "running"),
            PortInfo.of("opte0", MacAddr.parse("a8:40:25:00:00:02"), LOCAL, "running"));
  }

  @Test
  void clearUftOfAnUnknownPortIsPortNotFound_ofAPausedPortBadStateAndTheFlowsStay() {
    String port = xde.createPort(VNI, LOCAL, MAC);
    remoteOn(OLD_SLED);
    xde.useFlow(port, REMOTE);

    assertThatThrownBy(() -> xde.clearUft("opte9"))
        .isInstanceOfSatisfying(
            XdeException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(XdeException.Kind.COMMAND);
              assertThat(e.opteError()).isEqualTo(new OpteError.PortNotFound("opte9"));
            })
        .hasMessage("ClearUft: PortNotFound: opte9");

    xde.setPortState(port, "paused");
    assertThatThrownBy(() -> xde.clearUft(port))
        .isInstanceOfSatisfying(
            XdeException.class,
            e -> assertThat(e.opteError()).isEqualTo(new OpteError.BadState("paused")))
        .hasMessage("ClearUft: BadState: port is paused");
    assertThat(xde.flows()).hasSize(1);
    assertThat(xde.useFlow(port, REMOTE)).as("a paused port drops").isEmpty();
    assertThat(xde.listPorts()).extracting(PortInfo::state).containsExactly("paused");
  }

  @Test
  void portStates_readyWipesTheFlows_unknownOnesAreRefused() {
    String port = xde.createPort(VNI, LOCAL, MAC);
    remoteOn(OLD_SLED);
    xde.useFlow(port, REMOTE);

    xde.setPortState(port, "ready");
    assertThat(xde.flows()).isEmpty();
    assertThatThrownBy(() -> xde.setPortState(port, "stopped"))
        .hasMessage("port state 'stopped' is not one of OPTE's [ready, running, paused, restored]");
    assertThatThrownBy(() -> xde.setPortState("opte9", "running"))
        .hasMessage("no port named 'opte9'");
    assertThatThrownBy(() -> xde.useFlow("opte9", REMOTE)).hasMessage("no port named 'opte9'");
  }

  @Test
  void portSideEffectsOnTheTableStay_destroyDropsThePortAndItsFlows() {
    String port = xde.createPort(VNI, LOCAL, MAC);
    assertThat(xde.get(new Vip(VNI, LOCAL)))
        .isEqualTo(new XdeMapping(new Vip(VNI, LOCAL), MAC, THIS_SLED));
    remoteOn(OLD_SLED);
    xde.useFlow(port, REMOTE);
    assertThat(xde.portName(new Vip(VNI, LOCAL))).contains("opte0");

    xde.destroyPort(VNI, LOCAL);

    assertThat(xde.get(new Vip(VNI, LOCAL))).isNull();
    assertThat(xde.listPorts()).isEmpty();
    assertThat(xde.flows()).isEmpty();
    assertThat(xde.portName(new Vip(VNI, LOCAL))).isEmpty();
    assertThat(xde.mutations())
        .extracting(Mutation::op)
        .containsExactly(Op.PORT_CREATE, Op.SET, Op.PORT_DESTROY);
  }

  @Test
  void aSecondPortForTheSameVipReplacesTheFirst() {
    xde.createPort(VNI, LOCAL, MAC);
    assertThat(xde.createPort(VNI, LOCAL, REMOTE_MAC)).isEqualTo("opte1");
    assertThat(xde.listPorts()).extracting(PortInfo::name).containsExactly("opte1");
  }

  @Test
  void injectedFailuresReachThePortCallsToo() {
    xde.createPort(VNI, LOCAL, MAC);
    xde.failNextWrites(1);
    assertThat(xde.listPorts()).hasSize(1);
    assertThatThrownBy(() -> xde.clearUft("opte0"))
        .hasMessage("ClearUft opte0: injected device failure");
    xde.failNextCalls(1);
    assertThatThrownBy(xde::listPorts).hasMessage("ListPorts: injected device failure");
    xde.clearUft("opte0");
    assertThat(xde.calls()).isEqualTo(4);
  }
}
