package dev.v2pledger.applier.flows;

import dev.v2pledger.runtime.time.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * How the applier looks after XDE's ports.
 *
 * @param invalidate whether changed or cleared entries clear the UFT of the local ports in their
 *     VNI (default: yes)
 * @param clearWindow a port's UFT is cleared at most once per window, however many entries of its
 *     VNI changed in it (default 100 ms); at most {@link Durations#LONGEST}, as is {@code portPoll}
 * @param portPoll how often {@code ListPorts} is called to notice ports created or destroyed; zero
 *     turns the polling off (default 50 ms)
 */
public record FlowSettings(boolean invalidate, Duration clearWindow, Duration portPoll) {
  public static final Duration DEFAULT_CLEAR_WINDOW = Duration.ofMillis(100);
  public static final Duration DEFAULT_PORT_POLL = Duration.ofMillis(50);
  public static final FlowSettings DEFAULT =
      new FlowSettings(true, DEFAULT_CLEAR_WINDOW, DEFAULT_PORT_POLL);

  public FlowSettings {
    Objects.requireNonNull(clearWindow, "clearWindow");
    Objects.requireNonNull(portPoll, "portPoll");
    if (clearWindow.isNegative()) {
      throw new IllegalArgumentException(
          "UFT clear window must not be negative, got " + clearWindow);
    }
    if (portPoll.isNegative()) {
      throw new IllegalArgumentException(
          "port poll interval must not be negative, got " + portPoll);
    }
    // PortKeeper adds both to nanoTime in nanoseconds, which overflow past 292 years
    Durations.checkAtMostLongest("UFT clear window", clearWindow);
    Durations.checkAtMostLongest("port poll interval", portPoll);
  }

  /** Whether {@code ListPorts} is polled. */
  public boolean pollsPorts() {
    return !portPoll.isZero();
  }

  public FlowSettings withInvalidate(boolean value) {
    return new FlowSettings(value, clearWindow, portPoll);
  }

  public FlowSettings withClearWindow(Duration value) {
    return new FlowSettings(invalidate, value, portPoll);
  }

  public FlowSettings withPortPoll(Duration value) {
    return new FlowSettings(invalidate, clearWindow, value);
  }
}
