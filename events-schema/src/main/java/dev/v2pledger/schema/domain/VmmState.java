package dev.v2pledger.schema.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * A VMM's lifecycle as its sled agent reports it. Reports carry a generation, arrive in any order
 * and may be stale; this enum documents which moves are legal so that a report claiming an
 * impossible move (a destroyed VMM running again) is recognised and ignored.
 */
public enum VmmState {
  /** Created by the sled agent; Propolis is booting. */
  STARTING,
  /** The guest runs. */
  RUNNING,
  /** Shutting down; its ports still exist. */
  STOPPING,
  /** Stopped; its ports still exist until it is destroyed. */
  STOPPED,
  /** Taking part in a live migration, as source or target. */
  MIGRATING,
  /** Terminal: the VMM failed; its ports are gone or going. */
  FAILED,
  /** Terminal: the VMM and its XDE ports are gone. */
  DESTROYED;

  /** DESTROYED and FAILED: nothing follows them. */
  public boolean isTerminal() {
    return this == FAILED || this == DESTROYED;
  }

  /**
   * The states a VMM may have been in before this one. Non-terminal states may follow one another
   * in lifecycle order (reports can be skipped, never undone); terminal states follow any
   * non-terminal state and nothing follows them.
   */
  public Set<VmmState> validPrevious() {
    return switch (this) {
      case STARTING -> EnumSet.noneOf(VmmState.class);
      case RUNNING -> EnumSet.of(STARTING, MIGRATING);
      case MIGRATING -> EnumSet.of(STARTING, RUNNING);
      case STOPPING -> EnumSet.of(STARTING, RUNNING, MIGRATING);
      case STOPPED -> EnumSet.of(STARTING, RUNNING, MIGRATING, STOPPING);
      case FAILED, DESTROYED -> EnumSet.of(STARTING, RUNNING, MIGRATING, STOPPING, STOPPED);
    };
  }

  /** Whether a VMM last known in {@code previous} may now be in this state. */
  public boolean canFollow(VmmState previous) {
    return previous == this || validPrevious().contains(previous);
  }
}
