package dev.v2pledger.applier.cli;

import dev.v2pledger.applier.flows.FlowSettings;
import dev.v2pledger.runtime.cli.UsageException;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How {@code run} looks after XDE's ports: flow invalidation and port polling. */
final class FlowOptions {
  @Option(
      names = "--flow-invalidation",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "after an entry of a VNI changes, clear the flow tables (UFTs) of this sled's running"
              + " ports in that VNI, so established flows follow a moved mapping (default: on)")
  boolean invalidate = true;

  @Option(
      names = "--uft-clear-window",
      paramLabel = "DURATION",
      defaultValue = "100ms",
      description = "a port's UFT is cleared at most once per window (default: ${DEFAULT-VALUE})")
  Duration clearWindow = FlowSettings.DEFAULT_CLEAR_WINDOW;

  @Option(
      names = "--port-poll-interval",
      paramLabel = "DURATION",
      defaultValue = "50ms",
      description =
          "how often XDE's ports are listed to notice ports created or destroyed, which runs a"
              + " pass; 0s turns it off (default: ${DEFAULT-VALUE})")
  Duration portPoll = FlowSettings.DEFAULT_PORT_POLL;

  FlowSettings settings() {
    if (clearWindow.isNegative()) {
      throw new UsageException("--uft-clear-window must not be negative, got " + clearWindow);
    }
    if (portPoll.isNegative()) {
      throw new UsageException("--port-poll-interval must not be negative, got " + portPoll);
    }
    return new FlowSettings(invalidate, clearWindow, portPoll);
  }
}
