package dev.v2pledger.devstack.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.devstack.sled.LocalSled;
import dev.v2pledger.devstack.sled.Sled;
import dev.v2pledger.devstack.workload.SledSpec;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sled tables the verdict compares. */
class RunFiguresTest {
  @Test
  void twoSledsWithOneIdAreRefused_notOneOfThemLeftUncompared() {
    // two remote appliers that say they are the same sled (one started with the other's
    // --sled-id): keyed by id, the first table was replaced by the second and never compared
    SledSpec first = SledSpec.numbered(1);
    SledSpec second = new SledSpec(1, first.id(), SledSpec.numbered(2).underlay());
    LocalSled wrong = LocalSled.deviceOnly(first, Clock.systemUTC(), new SimpleMeterRegistry());
    LocalSled right = LocalSled.deviceOnly(second, Clock.systemUTC(), new SimpleMeterRegistry());
    wrong.createPort(new Vni(7777), IpAddr.parse("172.30.0.5"), MacAddr.parse("a8:40:25:f0:00:05"));
    List<Sled> sleds = List.of(wrong, right);

    assertThat(wrong.table()).hasSize(1);
    assertThatThrownBy(() -> RunFigures.tables(sleds))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(first.id().toString());
    assertThatThrownBy(() -> RunFigures.checkDistinct(List.of(first, second)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(first.id().toString());
  }

  @Test
  void distinctSledsGiveOneTableEach() {
    List<Sled> sleds = List.of(sled(1), sled(2));

    assertThat(RunFigures.tables(sleds)).hasSize(2).containsValue(Map.of());
    RunFigures.checkDistinct(SledSpec.rack(3));
  }

  private static Sled sled(int n) {
    return LocalSled.deviceOnly(SledSpec.numbered(n), Clock.systemUTC(), new SimpleMeterRegistry());
  }
}
