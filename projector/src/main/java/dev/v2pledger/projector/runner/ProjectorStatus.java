package dev.v2pledger.projector.runner;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of what a runner is doing, for {@code /readyz}, {@code /healthz}, logs and tests.
 *
 * @param assigned partitions of the events topic assigned to the runner
 * @param restoring of those, the ones whose state is not restored yet
 * @param instances instance states held
 * @param problem what went wrong, when {@link Phase#FAILED}; what it waits for, when {@link
 *     Phase#AWAITING_SHARE}
 */
public record ProjectorStatus(
    Phase phase,
    Set<Integer> assigned,
    Set<Integer> restoring,
    long instances,
    @Nullable String problem) {

  /** Where a runner is in its life. */
  public enum Phase {
    /** Created, thread not running yet. */
    STARTING,
    /** Clients open (or opening), waiting for the group to assign partitions. */
    JOINING,
    /** Restoring the state of assigned partitions: not ready. */
    RESTORING,
    /**
     * Processing the partitions it holds, while the group has yet to hand it others it assigns to
     * it (a new member's first answer is what is free, often nothing): not ready; see {@link
     * #problem}.
     */
    AWAITING_SHARE,
    /** Processing every assigned partition: ready. */
    RUNNING,
    /** Stopped cleanly by {@code close()}. */
    STOPPED,
    /** Stopped by an error it could not get past; see {@link #problem}. */
    FAILED,
    /**
     * The runner's thread died of an {@link Error} (a {@link VirtualMachineError}, or a test's
     * simulated crash): nothing was committed, aborted or closed, as in a crashed process.
     */
    KILLED
  }

  public ProjectorStatus {
    assigned = Collections.unmodifiableSortedSet(new TreeSet<>(assigned));
    restoring = Collections.unmodifiableSortedSet(new TreeSet<>(restoring));
  }

  static ProjectorStatus of(Phase phase) {
    return new ProjectorStatus(phase, Set.of(), Set.of(), 0, null);
  }

  /**
   * Why the runner is not ready, or null when it is: ready = it holds every partition its group
   * assigns to it, restored.
   */
  public @Nullable String readinessProblem() {
    return switch (phase) {
      case RUNNING -> null;
      case STARTING -> "starting";
      case JOINING -> "waiting for a partition assignment";
      case RESTORING -> "restoring the state of partitions " + restoring;
      case AWAITING_SHARE -> problem;
      case STOPPED -> "stopped";
      case KILLED -> "killed";
      case FAILED -> "failed: " + problem;
    };
  }

  /** Why the runner no longer works, or null while it does. */
  public @Nullable String livenessProblem() {
    return switch (phase) {
      case FAILED -> "failed: " + problem;
      case STOPPED -> "stopped";
      case KILLED -> "killed";
      default -> null;
    };
  }

  public boolean isTerminal() {
    return phase == Phase.STOPPED || phase == Phase.FAILED || phase == Phase.KILLED;
  }
}
