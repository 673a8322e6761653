package dev.v2pledger.devstack.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class CounterSumTest {

  @Test
  void givenACompositeWithAWindowThatFiltersTheCounter_thenTheRealCountIsSummedByTags() {
    CompositeMeterRegistry registry = new CompositeMeterRegistry();
    SimpleMeterRegistry window = new SimpleMeterRegistry();
    window.config().meterFilter(MeterFilter.deny());
    registry.add(window);
    registry.add(new SimpleMeterRegistry());
    registry.counter("v2p.applier.drift.repaired", "sled", "s1", "reason", "missing").increment(2);
    registry.counter("v2p.applier.drift.repaired", "sled", "s1", "reason", "cleared").increment(3);
    registry.counter("v2p.applier.drift.repaired", "sled", "s2", "reason", "missing").increment(7);

    assertThat(CounterSum.of(registry, "v2p.applier.drift.repaired", "sled", "s1")).isEqualTo(5);
    assertThat(CounterSum.of(registry, "v2p.applier.drift.repaired")).isEqualTo(12);
    assertThat(CounterSum.of(registry, "v2p.applier.none")).isZero();
  }
}
