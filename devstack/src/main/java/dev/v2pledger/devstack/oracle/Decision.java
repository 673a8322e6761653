package dev.v2pledger.devstack.oracle;

/** What the oracle made of one event (DESIGN's reasons): it changed something, or why not. */
public enum Decision {
  /** The event changed Nexus' view or a register Nexus named. */
  APPLIED,
  /** A report kept in a register Nexus has not named yet. */
  NOTED,
  /** The instance was deleted before (rule 1). */
  DELETED,
  /** A Nexus event at or below the instance generation held (rule 0). */
  OLD_GENERATION,
  /** The same fact again: NIC content, a VMM or a migration Nexus already named. */
  DUPLICATE,
  /** A NIC re-announced at a lower epoch, or at the same one with more IPs (rule 2). */
  STALE_NIC,
  /** A report not above its register. */
  STALE_REPORT,
  /** A non-terminal report after a terminal one. */
  ILLEGAL_TRANSITION,
  /** A report of a migration Nexus moved past (rule 6). */
  PAST_MIGRATION,
  /** A report of a VMM Nexus moved past (rule 7). */
  PAST_VMM,
  /** A NIC that the instance does not have (rule 3). */
  UNKNOWN_NIC,
  /** A migration out of a VMM Nexus did not name (rule 5). */
  UNKNOWN_SOURCE_VMM,
  /** A migration into a VMM Nexus already named (rule 5). */
  NAMED_TARGET,
  /** A new NIC of an instance that has as many as DESIGN "Bounds" allows (rule 2). */
  TOO_MANY_NICS
}
