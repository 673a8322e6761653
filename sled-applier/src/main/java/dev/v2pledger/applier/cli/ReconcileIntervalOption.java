package dev.v2pledger.applier.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --reconcile-interval}, declared once for the commands that start appliers: {@code
 * sled-applier run} and {@code devstack run}, which passes it to the appliers of its local sleds (a
 * picocli mixin). The value is checked where it is used ({@code run}, devstack's {@code
 * RunOptions}).
 */
public final class ReconcileIntervalOption {
  @Option(
      names = "--reconcile-interval",
      paramLabel = "DURATION",
      defaultValue = "5s",
      description = "time between an applier's full passes (default: ${DEFAULT-VALUE})")
  Duration reconcileInterval;

  public Duration reconcileInterval() {
    return reconcileInterval;
  }
}
