package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.MigrationId;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * DESIGN rule 8: where an instance is, a function of its state alone, so that it ends the same
 * whatever order the publishers' events arrived in.
 *
 * @param vmm the VMM the instance runs in, with its sled, or null for nowhere
 * @param reassertedFor the failed migration whose failure re-asserts the pairs (the re-assert
 *     token), or null; part of the location's identity, so each failure re-asserts once
 */
public record Location(@Nullable PlacedVmm vmm, @Nullable MigrationId reassertedFor) {
  static final Location NOWHERE = new Location(null, null);

  static Location of(InstanceState state) {
    PlacedVmm active = state.activeVmm();
    if (state.deleted() || active == null) {
      return NOWHERE;
    }
    Migration migration = state.migration();
    if (migration == null) {
      return alive(state, active) ? new Location(active, state.failedMigration()) : NOWHERE;
    }
    return switch (state.outcome(migration.migrationId())) {
      case COMPLETED -> alive(state, migration.target()) ? at(migration.target()) : NOWHERE;
      case FAILED, REJECTED ->
          alive(state, active) ? new Location(active, migration.migrationId()) : NOWHERE;
      case OPEN ->
          alive(state, active) || alive(state, migration.target())
              ? new Location(active, state.failedMigration()) // the outcome decides
              : NOWHERE; // both VMMs are gone: nowhere, whichever outcome comes
    };
  }

  private static Location at(PlacedVmm vmm) {
    return new Location(vmm, null);
  }

  private static boolean alive(InstanceState state, PlacedVmm vmm) {
    return !state.isTerminal(vmm.vmmId());
  }

  /** Whether every pair must be written again: another VMM, or a new failure to re-assert. */
  boolean movedFrom(Location before) {
    if (vmm == null) {
      return false;
    }
    return before.vmm == null
        || !vmm.equals(before.vmm)
        || !Objects.equals(reassertedFor, before.reassertedFor);
  }
}
