package dev.v2pledger.projector.fold;

/** How a migration was resolved. */
public enum MigrationOutcome {
  /** The target VMM became active. */
  COMPLETED,
  /** The source VMM stayed active (or the instance lost its location if the source is gone). */
  FAILED,
  /**
   * Refused when it started: its source was not the active VMM, so it could never move anything.
   */
  REJECTED
}
