package dev.v2pledger.devstack.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code --rate}: 0 (as fast as possible) or a pace a run can keep; anything else is refused. */
class PaceTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  @Test
  void aRateSoLowThatTheRunWouldNeverEnd_isRefusedBeforeAnythingStarts() {
    // 1e-300 paced the second event past the nanosecond clock: one event, then a sleep of centuries
    for (double rate : new double[] {1e-300, 1e-9, 0.5}) {
      assertThatThrownBy(() -> new RunOptions.Pace(rate, 0, MINUTE))
          .as("--rate %s", rate)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("--rate must be 0 (as fast as possible) or at least 1 event/s, got " + rate);
    }
  }

  @Test
  void zeroAndOneAndMoreArePaces() {
    for (double rate : new double[] {0, 1, 1000, 1e9}) {
      assertThat(new RunOptions.Pace(rate, 0, MINUTE).rate()).isEqualTo(rate);
    }
  }
}
