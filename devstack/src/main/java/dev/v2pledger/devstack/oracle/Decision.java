package dev.v2pledger.devstack.oracle;

/** What the oracle made of one event: it changed the instance, or why it did not. */
public enum Decision {
  /** The event changed the instance's NICs, location or migration. */
  APPLIED,
  /** Recorded (a generation, a report kept for a migration not seen yet) without a change. */
  NOTED,
  /** The instance was deleted before. */
  DELETED,
  /** The same fact again (NIC with the same content, a VMM or migration already seen). */
  DUPLICATE,
  /** A report whose generation is not above the last accepted one of its VMM or side. */
  STALE_REPORT,
  /** A report on a migration that was already resolved. */
  MIGRATION_ALREADY_RESOLVED,
  /** A NIC that the instance does not have. */
  UNKNOWN_NIC
}
