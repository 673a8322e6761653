package dev.v2pledger.runtime.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void wholeSecondsAreSeconds_anythingElseMilliseconds() {
    assertThat(Durations.readable(Duration.ofSeconds(15))).isEqualTo("15 s");
    assertThat(Durations.readable(Duration.ofMillis(500))).isEqualTo("500 ms");
    assertThat(Durations.readable(Duration.ofMillis(1500))).isEqualTo("1500 ms");
    assertThat(Durations.readable(Duration.ofMillis(2000))).isEqualTo("2 s");
    assertThat(Durations.readable(Duration.ofNanos(250_000))).isEqualTo("0.25 ms");
    assertThat(Durations.readable(Duration.ZERO)).isEqualTo("0 s");
  }
}
