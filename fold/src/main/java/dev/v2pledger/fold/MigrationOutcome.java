package dev.v2pledger.fold;

/** How a migration ends (DESIGN rule 8), or that it has not yet. */
public enum MigrationOutcome {
  /** Neither side reported a terminal state: the active VMM keeps the instance. */
  OPEN,
  /** A side reported COMPLETED and none FAILED: the target VMM is active. */
  COMPLETED,
  /** A side reported FAILED (a failure on either side wins): the source VMM stays active. */
  FAILED,
  /** Only in states written by projectors before v2: refused when it started. Treated as FAILED. */
  REJECTED
}
