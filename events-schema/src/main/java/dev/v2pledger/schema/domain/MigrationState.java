package dev.v2pledger.schema.domain;

import java.util.EnumSet;
import java.util.Set;

/** One side's view of a live migration. COMPLETED and FAILED are terminal. */
public enum MigrationState {
  /** Requested; the side has not started moving state. */
  PENDING,
  /** The side is transferring state. */
  IN_PROGRESS,
  /** Terminal: the guest now runs on the target. */
  COMPLETED,
  /** Terminal: the guest stays on the source. */
  FAILED;

  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED;
  }

  /** The states a side may have reported before this one; nothing follows a terminal state. */
  public Set<MigrationState> validPrevious() {
    return switch (this) {
      case PENDING -> EnumSet.noneOf(MigrationState.class);
      case IN_PROGRESS -> EnumSet.of(PENDING);
      case COMPLETED, FAILED -> EnumSet.of(PENDING, IN_PROGRESS);
    };
  }
}
