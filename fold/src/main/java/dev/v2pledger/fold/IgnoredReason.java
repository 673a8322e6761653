package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.EventType;
import org.jspecify.annotations.Nullable;

/**
 * Why an event changed nothing, with the DESIGN rule that says so. The label is what metrics, logs
 * and the replay tool show; DESIGN rule 10 lists every one.
 */
public enum IgnoredReason {
  /** The instance was deleted; later events of it are ignored. */
  INSTANCE_DELETED("instance_deleted", Rule.DELETION),
  /** A Nexus event at or below the instance generation already folded: a redelivery. */
  OLD_GENERATION("old_generation", Rule.GENERATION_FENCE),
  /**
   * The same fact again: a NIC with the same content (rule 2), a VMM (rule 4) or migration (rule 5)
   * Nexus already named.
   */
  DUPLICATE("duplicate", null),
  /**
   * {@code NicAttached} of a known NIC at a lower {@code ip_epoch} than the one it holds, or at the
   * same one with more IPs.
   */
  STALE_NIC("stale_nic", Rule.NIC_ATTACHED),
  /** {@code NicDetached} of a NIC the instance does not have. */
  UNKNOWN_NIC("unknown_nic", Rule.NIC_DETACHED),
  /** {@code MigrationStarted} out of a VMM that is neither active nor the latest target. */
  UNKNOWN_SOURCE_VMM("unknown_source_vmm", Rule.MIGRATION_STARTED),
  /**
   * {@code MigrationStarted} into a VMM Nexus already named (active, the latest target, or past):
   * Nexus gives every migration a new target VMM.
   */
  NAMED_TARGET("named_target", Rule.MIGRATION_STARTED),
  /** A report whose generation is not above its register's (an exact repeat included). */
  STALE_REPORT("stale_report", Rule.REGISTERS),
  /** A non-terminal report of a VMM or migration side already reported terminal. */
  ILLEGAL_TRANSITION("illegal_transition", Rule.REGISTERS),
  /** A report of a migration Nexus has moved past. */
  PAST_MIGRATION("past_migration", Rule.MIGRATION_REPORTED),
  /** A report of a VMM Nexus has moved past. */
  PAST_VMM("past_vmm", Rule.VMM_REPORTED),
  /** {@code NicAttached} of a new NIC when the instance has {@code Bounds.NICS} already. */
  TOO_MANY_NICS("too_many_nics", Rule.NIC_ATTACHED),
  /** The event names another instance than the state it was folded into. */
  WRONG_INSTANCE("wrong_instance", Rule.TOTALITY),
  /**
   * A register dropped because too many were pending, or retired keys forgotten past their bound
   * (an effect, never a whole event).
   */
  BUFFER_OVERFLOW("buffer_overflow", Rule.BOUNDS);

  private final String label;
  private final @Nullable Rule rule;

  IgnoredReason(String label, @Nullable Rule rule) {
    this.label = label;
    this.rule = rule;
  }

  public String label() {
    return label;
  }

  /** The DESIGN rule that gives this reason to an event of {@code type}. */
  public Rule rule(EventType type) {
    return rule != null ? rule : Rule.of(type);
  }

  @Override
  public String toString() {
    return label;
  }
}
