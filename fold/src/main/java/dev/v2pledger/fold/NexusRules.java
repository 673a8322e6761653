package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.NicDetached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.IpAddr;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * DESIGN rules 1 to 5: Nexus' events change Nexus' view of the instance (its NICs, the VMM it runs
 * in, the latest migration), in Nexus' order. None of them looks at a sled agent's report.
 */
final class NexusRules {
  private NexusRules() {}

  /** Rule 1: deletion; rule 9 then clears every pair that was set. */
  static @Nullable IgnoredReason instanceDeleted(Transition t) {
    t.deleted = true;
    t.nics().edit().clear();
    t.activeVmm = null;
    t.migration = null;
    t.failedMigration = null;
    t.sideReports().edit().clear();
    t.vmms().edit().clear();
    t.pastVmms().edit().clear();
    t.pastMigrations().edit().clear();
    t.effect(new Effect.Deleted());
    return null;
  }

  /**
   * Rule 2: a known NIC with the same content is a duplicate; one at a lower {@code ip_epoch} is
   * stale (epochs only grow), and so is one at the same epoch with more IPs than the held one,
   * every held one among them (an IP joins only at a higher epoch); one that would leave the
   * instance with more NICs than the bound is too many (a new one past it, or any on a state
   * written before the bound); otherwise the NIC is added or replaced.
   */
  static @Nullable IgnoredReason nicAttached(Transition t, NicAttached attached) {
    Nic incoming = Nic.of(attached);
    Nic known = t.before().nic(attached.nicId());
    if (incoming.equals(known)) {
      return IgnoredReason.DUPLICATE;
    }
    if (known != null
        && (incoming.ipEpoch() < known.ipEpoch()
            || (incoming.ipEpoch() == known.ipEpoch() && holdsMore(incoming, known)))) {
      return IgnoredReason.STALE_NIC;
    }
    if (t.nics().view().size() + (known == null ? 1 : 0) > InstanceState.Bounds.NICS) {
      return IgnoredReason.TOO_MANY_NICS;
    }
    List<Nic> nics = t.nics().edit();
    if (known != null) {
      nics.set(nics.indexOf(known), incoming);
    } else {
      nics.add(incoming);
    }
    t.effect(new Effect.NicSet(incoming.nicId(), incoming.ips().size()));
    return null;
  }

  /** Whether {@code a} has every IP of {@code b} and more. */
  private static boolean holdsMore(Nic a, Nic b) {
    Set<IpAddr> ips = Set.copyOf(a.ips());
    return ips.containsAll(b.ips()) && ips.size() > Set.copyOf(b.ips()).size();
  }

  /** Rule 3: an unknown NIC is ignored; otherwise the NIC is removed. */
  static @Nullable IgnoredReason nicDetached(Transition t, NicDetached detached) {
    Nic known = t.before().nic(detached.nicId());
    if (known == null) {
      return IgnoredReason.UNKNOWN_NIC;
    }
    t.nics().edit().remove(known);
    t.effect(new Effect.NicRemoved(known.nicId()));
    return null;
  }

  /**
   * Rule 4: a VMM Nexus already named is a duplicate. Otherwise it becomes the active VMM; the
   * latest migration, the re-assert token and the VMMs they named go to the past.
   */
  static @Nullable IgnoredReason vmmPlaced(Transition t, VmmPlaced placed) {
    if (t.before().named(placed.vmmId())) {
      return IgnoredReason.DUPLICATE;
    }
    Migration latest = t.migration;
    if (latest != null) {
      MigrationOutcome outcome = t.before().outcome(latest.migrationId());
      if (outcome == MigrationOutcome.OPEN) {
        outcome = MigrationOutcome.FAILED;
        t.effect(new Effect.MigrationResolved(latest.migrationId(), outcome, Rule.VMM_PLACED));
      }
      t.pastVmm(latest.target().vmmId());
      t.pastMigration(latest.migrationId(), outcome);
      t.migration = null;
    }
    if (t.activeVmm != null) {
      t.pastVmm(t.activeVmm.vmmId());
    }
    t.failedMigration = null;
    t.activeVmm = new PlacedVmm(placed.vmmId(), placed.sledId(), placed.sledUnderlayIp());
    t.effect(new Effect.VmmActivated(t.activeVmm, true));
    return null;
  }

  /**
   * Rule 5: a migration Nexus already named is a duplicate; one out of a VMM that is neither the
   * active VMM nor the latest migration's target is {@code unknown_source_vmm}; one into a VMM
   * Nexus already named is {@code named_target} (Nexus gives every migration a new VMM). Leaving
   * from the latest target means that migration completed (its target is now active); leaving from
   * the active VMM means it failed (it becomes the re-assert token). The new migration is the
   * latest.
   */
  static @Nullable IgnoredReason migrationStarted(Transition t, MigrationStarted started) {
    InstanceState before = t.before();
    Migration latest = before.migration();
    if ((latest != null && latest.migrationId().equals(started.migrationId()))
        || before.isPastMigration(started.migrationId())) {
      return IgnoredReason.DUPLICATE;
    }
    PlacedVmm active = before.activeVmm();
    boolean fromActive = active != null && active.vmmId().equals(started.sourceVmmId());
    boolean fromTarget = latest != null && latest.target().vmmId().equals(started.sourceVmmId());
    if (!fromActive && !fromTarget) {
      return IgnoredReason.UNKNOWN_SOURCE_VMM;
    }
    if (before.named(started.targetVmmId())) {
      return IgnoredReason.NAMED_TARGET;
    }
    if (latest != null) {
      moveLatestToPast(t, latest, fromTarget);
    }
    PlacedVmm target =
        new PlacedVmm(
            started.targetVmmId(), started.targetSledId(), started.targetSledUnderlayIp());
    t.migration = new Migration(started.migrationId(), started.sourceVmmId(), target);
    t.effect(new Effect.MigrationOpened(started.migrationId(), target));
    return null;
  }

  /** Nexus moved past {@code latest}: it completed (its target is active) or failed. */
  private static void moveLatestToPast(Transition t, Migration latest, boolean completed) {
    MigrationOutcome implied = completed ? MigrationOutcome.COMPLETED : MigrationOutcome.FAILED;
    if (t.before().outcome(latest.migrationId()) != implied) {
      t.effect(new Effect.MigrationResolved(latest.migrationId(), implied, Rule.MIGRATION_STARTED));
    }
    if (completed) {
      if (t.activeVmm != null) {
        t.pastVmm(t.activeVmm.vmmId());
      }
      t.activeVmm = latest.target();
      t.failedMigration = null;
      t.effect(new Effect.VmmActivated(latest.target(), false));
    } else {
      t.pastVmm(latest.target().vmmId());
      t.failedMigration = latest.migrationId();
    }
    t.pastMigration(latest.migrationId(), implied);
  }
}
