package dev.v2pledger.projector.fold;

/** Why an event changed nothing. The label is what metrics, logs and the replay tool show. */
public enum IgnoredReason {
  /** Rule 1: the instance was deleted; later events of it are ignored. */
  INSTANCE_DELETED("instance_deleted"),
  /** The same fact again (same NIC content, a VMM or migration already seen, a buffered report). */
  DUPLICATE("duplicate"),
  /** A report whose generation is not above the last accepted one of that VMM or migration side. */
  STALE_REPORT("stale_report"),
  /** A report of a migration that is already resolved. */
  MIGRATION_ALREADY_RESOLVED("migration_already_resolved"),
  /** {@code NicDetached} of a NIC the instance does not have. */
  UNKNOWN_NIC("unknown_nic"),
  /** {@code NicAttached} of a known NIC at a lower {@code ip_epoch} than the one it holds. */
  STALE_NIC("stale_nic"),
  /** A VMM report of a move its lifecycle forbids (anything after DESTROYED or FAILED). */
  ILLEGAL_TRANSITION("illegal_transition"),
  /** The event names another instance than the state it was folded into. */
  WRONG_INSTANCE("wrong_instance"),
  /** A buffered report was dropped because the buffer was full (an effect, never a whole event). */
  BUFFER_OVERFLOW("buffer_overflow");

  private final String label;

  IgnoredReason(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  @Override
  public String toString() {
    return label;
  }
}
