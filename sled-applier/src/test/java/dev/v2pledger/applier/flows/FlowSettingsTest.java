package dev.v2pledger.applier.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FlowSettingsTest {

  /**
   * The port poll and the UFT clear window are added to {@code nanoTime} in nanoseconds
   * (PortKeeper): past 292 years every poll or flush threw ArithmeticException and ten steps in a
   * row stopped the applier. The settings refuse more than ten years on their own, as the command
   * line does; zero still turns the polling off.
   */
  @Test
  void aPortPollOrClearWindowLongerThanTheLongestDuration_isRefused() {
    Duration overflowing = Duration.ofDays(365L * 300);

    assertThatThrownBy(() -> FlowSettings.DEFAULT.withPortPoll(overflowing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port poll interval");
    assertThatThrownBy(() -> FlowSettings.DEFAULT.withClearWindow(overflowing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UFT clear window");
    assertThat(FlowSettings.DEFAULT.withPortPoll(Duration.ofDays(3650)).portPoll())
        .isEqualTo(Duration.ofDays(3650));
    assertThat(FlowSettings.DEFAULT.withPortPoll(Duration.ZERO).pollsPorts()).isFalse();
  }
}
