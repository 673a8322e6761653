package dev.v2pledger.projector.fold;

import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.MigrationState;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Rules 5 and 6: migrations start, are reported on by both sides, and resolve once. */
final class MigrationRules {
  private MigrationRules() {}

  /**
   * Rule 5: a migration already seen is a duplicate. Another unresolved migration is resolved
   * first: COMPLETED if the new one leaves from its target, FAILED otherwise. The new migration
   * must leave from the active VMM (Nexus only migrates out of a running VMM); one that does not is
   * remembered as REJECTED. Then the reports buffered for it are folded in arrival order.
   */
  static @Nullable IgnoredReason started(Transition t, MigrationStarted started) {
    InstanceState before = t.before();
    boolean current =
        before.migration() != null
            && before.migration().migrationId().equals(started.migrationId());
    if (current || before.isResolved(started.migrationId())) {
      return IgnoredReason.DUPLICATE;
    }
    if (t.migration != null) {
      boolean completed = started.sourceVmmId().equals(t.migration.target().vmmId());
      resolve(t, completed ? MigrationOutcome.COMPLETED : MigrationOutcome.FAILED, true, true);
    }
    PlacedVmm target =
        new PlacedVmm(
            started.targetVmmId(), started.targetSledId(), started.targetSledUnderlayIp());
    t.rememberVmm(target.vmmId());
    if (t.activeVmm == null || !t.activeVmm.vmmId().equals(started.sourceVmmId())) {
      t.rememberResolved(started.migrationId(), MigrationOutcome.REJECTED);
      t.effect(
          new Effect.MigrationResolved(started.migrationId(), MigrationOutcome.REJECTED, false));
      return null;
    }
    t.migration =
        new OpenMigration(started.migrationId(), started.sourceVmmId(), target, null, null);
    t.effect(new Effect.MigrationOpened(started.migrationId(), target));
    foldBuffered(t, started);
    return null;
  }

  private static void foldBuffered(Transition t, MigrationStarted started) {
    List<MigrationReported> mine = new ArrayList<>();
    for (MigrationReported report : t.buffered.view()) {
      if (report.migrationId().equals(started.migrationId())) {
        mine.add(report);
      }
    }
    if (mine.isEmpty()) {
      return;
    }
    t.buffered.edit().removeAll(mine);
    for (MigrationReported report : mine) {
      if (t.migration != null) {
        reportOnCurrent(t, report);
      }
    }
  }

  /**
   * Rule 6: reports of resolved migrations change nothing; reports of unseen migrations are
   * buffered; reports of the current one are folded.
   */
  static @Nullable IgnoredReason reported(Transition t, MigrationReported report) {
    InstanceState before = t.before();
    if (before.isResolved(report.migrationId())) {
      return IgnoredReason.MIGRATION_ALREADY_RESOLVED;
    }
    OpenMigration open = before.migration();
    if (open == null || !open.migrationId().equals(report.migrationId())) {
      if (before.buffered().contains(report)) {
        return IgnoredReason.DUPLICATE;
      }
      t.buffer(report);
      return null;
    }
    return reportOnCurrent(t, report);
  }

  /**
   * A report of the current migration: a generation not above the side's last accepted one is
   * stale; PENDING and IN_PROGRESS move nothing; the first terminal report resolves it.
   */
  private static @Nullable IgnoredReason reportOnCurrent(Transition t, MigrationReported report) {
    Long last = t.migration.lastGen(report.side());
    if (last != null && report.gen() <= last) {
      return IgnoredReason.STALE_REPORT;
    }
    t.migration = t.migration.withGen(report.side(), report.gen());
    if (report.state().isTerminal()) {
      MigrationOutcome outcome =
          report.state() == MigrationState.COMPLETED
              ? MigrationOutcome.COMPLETED
              : MigrationOutcome.FAILED;
      resolve(t, outcome, false, true);
    }
    return null;
  }

  /**
   * Ends the current migration. COMPLETED: the target becomes active and every pair moves there,
   * unless the target is known gone (then no location). FAILED: the source stays active and, when
   * {@code reassert}, every pair is set again at a new generation to repair the target sled (whose
   * XDE installed a local mapping when the target port was created), unless the source is known
   * gone (then no location).
   */
  static void resolve(Transition t, MigrationOutcome outcome, boolean implicit, boolean reassert) {
    OpenMigration open = t.migration;
    t.migration = null;
    t.rememberResolved(open.migrationId(), outcome);
    t.effect(new Effect.MigrationResolved(open.migrationId(), outcome, implicit));
    if (outcome == MigrationOutcome.COMPLETED) {
      t.locate(open.target());
    } else if (t.isTerminal(open.sourceVmmId())) {
      t.loseLocation(open.sourceVmmId());
    } else if (reassert && t.activeVmm != null) {
      t.setAllPairs();
      t.effect(new Effect.Reasserted(t.activeVmm));
    }
  }
}
