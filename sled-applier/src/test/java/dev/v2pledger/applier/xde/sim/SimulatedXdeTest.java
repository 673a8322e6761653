package dev.v2pledger.applier.xde.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.applier.testing.MutableClock;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class SimulatedXdeTest {
  static final Ipv6Addr THIS_SLED = Ipv6Addr.parse("fd00:1122:3344:101::1");
  static final Ipv6Addr OTHER_SLED = Ipv6Addr.parse("fd00:1122:3344:102::1");
  static final MacAddr MAC = MacAddr.parse("a8:40:25:f1:6e:6f");
  static final Vni VNI = new Vni(7777);
  static final Vip VIP = new Vip(VNI, IpAddr.parse("172.30.0.5"));

  final MutableClock clock = MutableClock.at("2025-01-01T00:00:00Z");
  final SimulatedXde xde = new SimulatedXde(THIS_SLED, clock);

  @Test
  void setIsAnUpsertAndClearRemovesByVipIgnoringTheRest() {
    xde.set(new XdeMapping(VIP, MAC, THIS_SLED));
    xde.set(new XdeMapping(VIP, MAC, OTHER_SLED));
    assertThat(xde.dump()).containsExactly(new XdeMapping(VIP, MAC, OTHER_SLED));

    xde.clear(VIP);
    assertThat(xde.dump()).isEmpty();
    assertThat(xde.groupSizes()).as("OPTE keeps the VNI's group").isEqualTo(Map.of(VNI, 0));

    xde.clear(new Vip(new Vni(5), IpAddr.parse("10.0.0.1")));
    assertThat(xde.groupSizes()).as("a clear creates no group").containsOnlyKeys(VNI);
  }

  @Test
  void dumpIsSortedByVniThenIpv4BeforeIpv6() {
    List<XdeMapping> entries = new ArrayList<>();
    for (String ip : List.of("fd77::1", "172.30.0.9", "172.30.0.10", "10.0.0.1")) {
      entries.add(new XdeMapping(new Vip(VNI, IpAddr.parse(ip)), MAC, OTHER_SLED));
    }
    entries.add(new XdeMapping(new Vip(new Vni(42), IpAddr.parse("fd77::9")), MAC, OTHER_SLED));
    entries.forEach(xde::set);

    assertThat(xde.dump())
        .extracting(m -> m.vip().toString())
        .containsExactly(
            "42/fd77::9", "7777/10.0.0.1", "7777/172.30.0.9", "7777/172.30.0.10", "7777/fd77::1");
  }

  @Test
  void portCreateInstallsThisSledAndPortDestroyRemovesWhateverIsThere() {
    xde.set(new XdeMapping(VIP, MAC, OTHER_SLED));

    xde.createPort(VNI, VIP.ip(), MAC);
    assertThat(xde.get(VIP)).isEqualTo(new XdeMapping(VIP, MAC, THIS_SLED));

    xde.set(new XdeMapping(VIP, MAC, OTHER_SLED));
    xde.destroyPort(VNI, VIP.ip());
    assertThat(xde.get(VIP)).isNull();
  }

  @Test
  void mutationLogStampsEveryWriteWithTheClockAndItsBeforeAndAfter() {
    List<Mutation> seen = new ArrayList<>();
    xde.onMutation(seen::add);
    XdeMapping there = new XdeMapping(VIP, MAC, OTHER_SLED);

    xde.set(there);
    clock.advance(Duration.ofMillis(5));
    xde.set(there);
    clock.advance(Duration.ofMillis(5));
    xde.destroyPort(VNI, VIP.ip());

    List<Mutation> log = xde.mutations();
    assertThat(log).isEqualTo(seen);
    assertThat(log)
        .extracting(Mutation::op, Mutation::at, Mutation::changed)
        .containsExactly(
            Tuple.tuple(Op.SET, Instant.parse("2025-01-01T00:00:00Z"), true),
            Tuple.tuple(Op.SET, Instant.parse("2025-01-01T00:00:00.005Z"), false),
            Tuple.tuple(Op.PORT_DESTROY, Instant.parse("2025-01-01T00:00:00.010Z"), true));
    assertThat(log.get(2).before()).isEqualTo(there);
    assertThat(log.get(2).after()).isNull();
    assertThat(xde.mutationsSince(2)).containsExactly(log.get(2));
    assertThat(log).extracting(Mutation::sequence).containsExactly(1L, 2L, 3L);
  }

  @Test
  void injectedFailuresHitTheNextCallsOnlyAndChangeNothing() {
    xde.failNextCalls(2);

    assertThatThrownBy(() -> xde.set(new XdeMapping(VIP, MAC, OTHER_SLED)))
        .isInstanceOf(XdeException.class)
        .hasMessage("SetVirt2Phys 7777/172.30.0.5: injected device failure");
    xde.createPort(VNI, VIP.ip(), MAC); // XDE's own writes are not interface calls
    assertThatThrownBy(xde::dump).isInstanceOf(XdeException.class);
    assertThat(xde.dump()).containsExactly(new XdeMapping(VIP, MAC, THIS_SLED));
    assertThat(xde.calls()).isEqualTo(3);
    assertThat(xde.mutations()).extracting(Mutation::op).containsExactly(Op.PORT_CREATE);
  }

  @Test
  void latencyDelaysEveryCall() {
    xde.setLatency(Duration.ofMillis(30));
    long start = System.nanoTime();
    xde.dump();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(30));
  }

  @Test
  void concurrentWritersAreSerialized() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      done.add(
          pool.submit(
              () -> {
                for (int i = 0; i < 500; i++) {
                  Vip vip =
                      new Vip(
                          VNI, IpAddr.parse("10." + thread + "." + (i / 250) + "." + (i % 250)));
                  xde.set(new XdeMapping(vip, MAC, OTHER_SLED));
                  if (i % 2 == 0) {
                    xde.clear(vip);
                  }
                }
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    assertThat(xde.size()).isEqualTo(1000).isEqualTo(xde.dump().size());
    assertThat(xde.mutations()).hasSize(3000);
  }
}
