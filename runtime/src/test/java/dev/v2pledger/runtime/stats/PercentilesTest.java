package dev.v2pledger.runtime.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PercentilesTest {
  @Test
  void noSamples_saysSo_ratherThanPrintingZeros() {
    Percentiles none = Percentiles.of(new long[0]);

    assertThat(none.empty()).isTrue();
    assertThat(none.count()).isZero();
    assertThat(none).hasToString("n=0 (no samples)");
  }

  @Test
  void samples_byNearestRank() {
    Percentiles p = Percentiles.of(new long[] {5, 1, 3, 2, 4});

    assertThat(p.empty()).isFalse();
    assertThat(p).hasToString("n=5 p50=3 ms p90=5 ms p99=5 ms max=5 ms");
  }
}
