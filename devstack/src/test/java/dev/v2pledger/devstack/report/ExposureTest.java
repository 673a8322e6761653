package dev.v2pledger.devstack.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.Mutation;
import dev.v2pledger.applier.xde.sim.Mutation.Op;
import dev.v2pledger.devstack.report.Exposure.Cause;
import dev.v2pledger.devstack.workload.Step.Truth;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Exposure on hand-made mutation logs and truth timelines whose answers are worked out below. */
class ExposureTest {
  static final Instant T0 = Instant.parse("2026-11-23T03:10:00Z");
  static final Vip VIP = new Vip(new Vni(7777), IpAddr.parse("172.30.0.5"));
  static final Vip OTHER = new Vip(new Vni(7777), IpAddr.parse("172.30.0.6"));
  static final Vip SERVICE = new Vip(Vni.SERVICES, IpAddr.parse("172.31.255.1"));
  static final MacAddr MAC = MacAddr.parse("a8:40:25:f0:00:05");
  static final Ipv6Addr S = Ipv6Addr.parse("fd00:1122:3344:101::1");
  static final Ipv6Addr T = Ipv6Addr.parse("fd00:1122:3344:102::1");
  static final SledId X = SledId.parse("51ed0000-0000-4000-8000-000000000001");
  static final SledId Y = SledId.parse("51ed0000-0000-4000-8000-000000000002");

  static Instant ms(double millis) {
    return T0.plusNanos((long) (millis * 1_000_000));
  }

  static XdeMapping on(Vip vip, Ipv6Addr underlay) {
    return new XdeMapping(vip, MAC, underlay);
  }

  /** A device's log: writes as they happened, with before/after worked out. */
  static final class Log {
    final List<Mutation> entries = new ArrayList<>();
    final Map<Vip, XdeMapping> table = new LinkedHashMap<>();

    Log write(double at, Op op, Vip vip, @Nullable XdeMapping after) {
      XdeMapping before = after == null ? table.remove(vip) : table.put(vip, after);
      entries.add(new Mutation(entries.size() + 1, ms(at), op, vip, before, after));
      return this;
    }
  }

  static TruthTimeline truth(Object... atVipEntry) {
    TruthTimeline truth = new TruthTimeline(Map.of());
    for (int i = 0; i < atVipEntry.length; i += 3) {
      truth.record(
          ms(((Number) atVipEntry[i]).doubleValue()),
          List.of(new Truth((Vip) atVipEntry[i + 1], (XdeMapping) atVipEntry[i + 2])));
    }
    return truth;
  }

  static Exposure.Result compute(Map<SledId, List<Mutation>> logs, TruthTimeline truth, double to) {
    return Exposure.compute(logs, truth, T0, ms(to), Set.of(Vni.SERVICES));
  }

  @Test
  void propagationLagIsTheTimeEachSledTookAfterTheTruthChanged() {
    TruthTimeline truth = truth(0, VIP, on(VIP, S));
    Log x = new Log().write(10, Op.SET, VIP, on(VIP, S));
    Log y = new Log().write(30, Op.SET, VIP, on(VIP, S));

    Exposure.Result result = compute(Map.of(X, x.entries, Y, y.entries), truth, 100);

    assertThat(result.sledKeySeconds()).isCloseTo(0.040, within(1e-9));
    assertThat(result.gaps()).isEqualTo(2);
    assertThat(result.worst())
        .isEqualTo(new Exposure.Gap(Y, VIP, ms(0), ms(30), Cause.PROPAGATION));
    assertThat(result.byCause()).containsOnlyKeys(Cause.PROPAGATION);
    assertThat(result.openAtEnd()).isZero();
    assertThat(result.window()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void portSideEffectsOpenGapsThatLastUntilTheRepair() {
    TruthTimeline truth = truth(0, VIP, on(VIP, S));
    Log target =
        new Log()
            .write(5, Op.SET, VIP, on(VIP, S)) // 5 ms propagation
            .write(100, Op.PORT_CREATE, VIP, on(VIP, T)) // XDE: "VIP -> here"
            .write(102, Op.SET, VIP, on(VIP, S)) // 2 ms
            .write(200, Op.PORT_DESTROY, VIP, null) // XDE deletes the entry
            .write(203, Op.SET, VIP, on(VIP, S)); // 3 ms

    Exposure.Result result = compute(Map.of(X, target.entries), truth, 300);

    assertThat(result.sledKeySeconds()).isCloseTo(0.010, within(1e-9));
    assertThat(result.gaps()).isEqualTo(3);
    assertThat(result.byCause().get(Cause.PORT_SIDE_EFFECT).sledKeySeconds())
        .isCloseTo(0.005, within(1e-9));
    assertThat(result.byCause().get(Cause.PORT_SIDE_EFFECT).gaps()).isEqualTo(2);
    assertThat(result.byCause().get(Cause.PROPAGATION).sledKeySeconds())
        .isCloseTo(0.005, within(1e-9));
  }

  @Test
  void aClearThenSetByTheControlPlaneIsAControlWriteGap() {
    TruthTimeline truth = truth(0, VIP, on(VIP, T));
    Log sled =
        new Log()
            .write(1, Op.SET, VIP, on(VIP, T))
            .write(50, Op.CLEAR, VIP, null) // delete first...
            .write(52, Op.SET, VIP, on(VIP, T)); // ...then add

    Exposure.Result result = compute(Map.of(X, sled.entries), truth, 100);

    assertThat(result.byCause().get(Cause.CONTROL_WRITE)).isEqualTo(new Exposure.Share(0.002, 1));
    assertThat(result.sledKeySeconds()).isCloseTo(0.003, within(1e-9));
  }

  @Test
  void aStalePushMovesAVipBackUntilTheNextWrite() {
    TruthTimeline truth = truth(0, VIP, on(VIP, S), 40, VIP, on(VIP, T));
    Log sled =
        new Log()
            .write(0, Op.SET, VIP, on(VIP, S))
            .write(45, Op.SET, VIP, on(VIP, T)) // 5 ms propagation
            .write(60, Op.SET, VIP, on(VIP, S)) // a stale re-push
            .write(90, Op.SET, VIP, on(VIP, T)); // 30 ms

    Exposure.Result result = compute(Map.of(X, sled.entries), truth, 100);

    assertThat(result.sledKeySeconds()).isCloseTo(0.035, within(1e-9));
    assertThat(result.worst())
        .isEqualTo(new Exposure.Gap(X, VIP, ms(60), ms(90), Cause.CONTROL_WRITE));
  }

  @Test
  void gapsAreClippedToTheWindow_andOpenOnesCountUntilItCloses() {
    TruthTimeline truth = truth(-10, VIP, on(VIP, S), 90, OTHER, on(OTHER, T));
    Log sled = new Log().write(20, Op.SET, VIP, on(VIP, S)); // wrong from -10 to 20: 20 in window

    Exposure.Result result = compute(Map.of(X, sled.entries), truth, 100);

    assertThat(result.byCause().get(Cause.BEFORE_WINDOW)).isEqualTo(new Exposure.Share(0.020, 1));
    assertThat(result.byCause().get(Cause.PROPAGATION)).isEqualTo(new Exposure.Share(0.010, 1));
    assertThat(result.openAtEnd()).isEqualTo(1);
    assertThat(result.sledKeySeconds()).isCloseTo(0.030, within(1e-9));
  }

  @Test
  void anEntryTheClusterHeldBeforeTheRunThatASledLacksIsExposedFromTheWindowsStart() {
    // a shared cluster held VIP (the truth starts with it); sled X never got it, sled Y did
    TruthTimeline truth = new TruthTimeline(Map.of(VIP, on(VIP, S)));
    truth.record(ms(40), List.of(new Truth(VIP, null))); // then the VIP goes away
    Log y = new Log().write(-5, Op.SET, VIP, on(VIP, S)).write(40, Op.CLEAR, VIP, null);

    Exposure.Result result = compute(Map.of(X, List.of(), Y, y.entries), truth, 100);

    // X was wrong from before the window until the truth caught up with it at 40 ms
    assertThat(result.gaps()).isEqualTo(1);
    assertThat(result.worst())
        .isEqualTo(new Exposure.Gap(X, VIP, ms(0), ms(40), Cause.BEFORE_WINDOW));
    assertThat(result.openAtEnd()).isZero();

    TruthTimeline kept = new TruthTimeline(Map.of(VIP, on(VIP, S)));
    Exposure.Result never = compute(Map.of(X, List.of()), kept, 100);
    assertThat(never.byCause().get(Cause.BEFORE_WINDOW)).isEqualTo(new Exposure.Share(0.100, 1));
    assertThat(never.openAtEnd()).isEqualTo(1);
  }

  @Test
  void extraEntriesCount_agreementAndTheServicesVniDoNot_andATieIsNoGap() {
    TruthTimeline truth = truth(10, VIP, on(VIP, S), 50, VIP, null);
    Log sled =
        new Log()
            .write(0, Op.PORT_CREATE, SERVICE, on(SERVICE, S)) // VNI 100: not compared
            .write(10, Op.SET, VIP, on(VIP, S)) // at the very instant: no gap
            .write(50, Op.PORT_DESTROY, VIP, null) // same instant as the truth: no gap
            .write(60, Op.PORT_CREATE, OTHER, on(OTHER, T)); // nobody should have it: 40 ms

    Exposure.Result result = compute(Map.of(X, sled.entries), truth, 100);

    assertThat(result.gaps()).isEqualTo(1);
    assertThat(result.worst())
        .isEqualTo(new Exposure.Gap(X, OTHER, ms(60), ms(100), Cause.PORT_SIDE_EFFECT));
    assertThat(result.openAtEnd()).isEqualTo(1);
  }

  @Test
  void aDifferentMacIsAsWrongAsAnotherSled() {
    TruthTimeline truth = truth(0, VIP, on(VIP, S));
    Log sled =
        new Log()
            .write(0, Op.SET, VIP, new XdeMapping(VIP, MacAddr.parse("a8:40:25:f0:00:99"), S))
            .write(7, Op.SET, VIP, on(VIP, S));

    assertThat(compute(Map.of(X, sled.entries), truth, 10).sledKeySeconds())
        .isCloseTo(0.007, within(1e-9));
  }

  @Test
  void nothingWrongIsNoExposure() {
    assertThat(compute(Map.of(X, List.of()), truth(), 100).gaps()).isZero();
    assertThat(compute(Map.of(X, List.of()), truth(), 100).worst()).isNull();
  }
}
