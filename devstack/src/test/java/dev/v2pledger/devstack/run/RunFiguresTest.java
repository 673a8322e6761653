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
import java.time.Duration;
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

  /**
   * A run once showed a convergence max of 21 s while every stage timed on the monotonic clock
   * stayed under 0.2 s: its log had a 21.2 s hole in the wall-clock times. The report says so.
   */
  @Test
  void aWallClockThatMovedMoreThanASecondAgainstTheRunsClock_isNoted() {
    assertThat(RunFigures.clockNote(Duration.ofMillis(21_184)))
        .hasValue(
            "the wall clock moved 21.2 s ahead of the run's own clock during the run (set, or this"
                + " machine paused): the figures measured on the wall clock (convergence, event"
                + " logged -> polled, records sent -> polled on a sled) include it, exposure does"
                + " not");
    assertThat(RunFigures.clockNote(Duration.ofMillis(-1_500)).orElseThrow())
        .startsWith("the wall clock moved 1.5 s behind the run's own clock");
    assertThat(RunFigures.clockNote(Duration.ofMillis(300))).as("drift, as NTP slews").isEmpty();
    assertThat(RunFigures.clockNote(Duration.ofSeconds(-1))).isEmpty();
    assertThat(new MonotonicClock().wallAhead().abs()).isLessThan(Duration.ofSeconds(1));
  }
}
