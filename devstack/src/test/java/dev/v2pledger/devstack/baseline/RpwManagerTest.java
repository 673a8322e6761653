package dev.v2pledger.devstack.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.Mutation;
import dev.v2pledger.applier.xde.sim.Mutation.Op;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** The emulation of Omicron's V2P manager: what one lap does, and when laps run. */
class RpwManagerTest {
  static final Ipv6Addr S = Ipv6Addr.parse("fd00:1122:3344:101::1");
  static final Ipv6Addr T = Ipv6Addr.parse("fd00:1122:3344:102::1");
  static final MacAddr MAC = MacAddr.parse("a8:40:25:f0:00:05");
  static final Vip MOVED = vip("172.30.0.5");
  static final Vip GONE = vip("172.30.0.6");
  static final Vip NEW = vip("172.30.0.7");
  static final Vip SERVICE = new Vip(Vni.SERVICES, IpAddr.parse("172.31.255.1"));

  static Vip vip(String ip) {
    return new Vip(new Vni(7777), IpAddr.parse(ip));
  }

  static XdeMapping on(Vip vip, Ipv6Addr underlay) {
    return new XdeMapping(vip, MAC, underlay);
  }

  private final SimulatedXde first = new SimulatedXde(S, Clock.systemUTC());
  private final SimulatedXde second = new SimulatedXde(T, Clock.systemUTC());
  private final List<XdeMapping> database = new CopyOnWriteArrayList<>();

  private RpwManager manager(Duration period, Duration callLatency) {
    return new RpwManager(
        List.of(first, second),
        () -> (Collection<XdeMapping>) List.copyOf(database),
        period,
        callLatency,
        Set.of(Vni.SERVICES));
  }

  @Test
  void aLapListsEachSledThenDeletesThenAdds_oneCallPerMapping_movingAVipByClearThenSet() {
    for (SimulatedXde sled : List.of(first, second)) {
      sled.set(on(MOVED, S));
      sled.set(on(GONE, S));
      sled.createPort(SERVICE.vni(), SERVICE.ip(), MAC);
    }
    database.addAll(List.of(on(MOVED, T), on(NEW, T)));
    int mark = first.mutationCount();
    long callsBefore = first.calls();

    RpwManager rpw = manager(Duration.ofHours(1), Duration.ZERO);
    rpw.lap();

    List<Mutation> writes = first.mutationsSince(mark);
    assertThat(writes.subList(0, 2))
        .as("deletes first")
        .extracting(Mutation::op, Mutation::vip)
        .containsExactlyInAnyOrder(Tuple.tuple(Op.CLEAR, MOVED), Tuple.tuple(Op.CLEAR, GONE));
    assertThat(writes.subList(2, 4))
        .as("then adds")
        .extracting(Mutation::op, Mutation::vip)
        .containsExactlyInAnyOrder(Tuple.tuple(Op.SET, MOVED), Tuple.tuple(Op.SET, NEW));
    assertThat(first.calls() - callsBefore).as("1 dump + 2 clears + 2 sets").isEqualTo(5);
    assertThat(rpw.calls()).isEqualTo(10);
    for (SimulatedXde sled : List.of(first, second)) {
      assertThat(sled.table().values())
          .containsExactlyInAnyOrder(
              on(MOVED, T), on(NEW, T), new XdeMapping(SERVICE, MAC, sled.sledUnderlay()));
    }
  }

  @Test
  void aLapThatFindsEverythingRightWritesNothing() {
    database.add(on(MOVED, T));
    first.set(on(MOVED, T));
    second.set(on(MOVED, T));
    int mark = first.mutationCount();

    manager(Duration.ofHours(1), Duration.ZERO).lap();

    assertThat(first.mutationsSince(mark)).isEmpty();
  }

  @Test
  void aFailedCallIsSkipped_theNextLapRetries() {
    database.add(on(NEW, T));
    first.failNextWrites(1);
    RpwManager rpw = manager(Duration.ofHours(1), Duration.ZERO);

    rpw.lap();
    assertThat(first.get(NEW)).isNull();
    assertThat(second.get(NEW)).isEqualTo(on(NEW, T));
    assertThat(rpw.failedCalls()).isEqualTo(1);

    rpw.lap();
    assertThat(first.get(NEW)).isEqualTo(on(NEW, T));
  }

  @Test
  void activationsDuringALapMakeExactlyOneMoreLap() throws Exception {
    for (int i = 0; i < 10; i++) {
      database.add(on(vip("172.30.1." + i), T));
    }
    try (RpwManager rpw = manager(Duration.ofHours(1), Duration.ofMillis(50)).start()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> rpw.laps() == 1); // the timer's first tick
      for (int i = 0; i < 20; i++) {
        database.add(on(vip("172.30.2." + i), T)); // lap 2: 2 x (1 + 20) calls of 50 ms
      }
      rpw.activate();
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(2))
          .until(() -> rpw.calls() > 22 && rpw.laps() == 1); // inside lap 2
      for (int i = 0; i < 5; i++) {
        rpw.activate();
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> rpw.laps() == 3);
      long calls = rpw.calls();
      Thread.sleep(300); // nothing else is due: the period is an hour
      assertThat(rpw.laps()).isEqualTo(3);
      assertThat(rpw.calls()).isEqualTo(calls);
    }
  }

  @Test
  void theTimerRunsALapEveryPeriod() {
    database.add(on(NEW, T));
    try (RpwManager rpw = manager(Duration.ofMillis(100), Duration.ZERO).start()) {
      await().atMost(Duration.ofSeconds(10)).until(() -> rpw.laps() >= 3);
      first.clear(NEW); // drift that only a later lap repairs
      await().atMost(Duration.ofSeconds(10)).until(() -> first.get(NEW) != null);
    }
  }
}
