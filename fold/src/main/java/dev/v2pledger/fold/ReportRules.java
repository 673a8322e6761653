package dev.v2pledger.fold;

import dev.v2pledger.fold.InstanceState.Bounds;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.VmmReported;
import dev.v2pledger.schema.domain.MigrationId;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * DESIGN rules 6 and 7: a sled agent's report goes into its register (the highest report of its VMM
 * or migration side, "Registers"), whether or not Nexus has named that VMM or migration yet;
 * reports of what Nexus moved past are ignored. Registers Nexus has not named are bounded
 * ("Bounds").
 */
final class ReportRules {
  private ReportRules() {}

  /** Rule 6. */
  static @Nullable IgnoredReason migrationReported(Transition t, MigrationReported report) {
    InstanceState before = t.before();
    MigrationId id = report.migrationId();
    boolean latest = before.migration() != null && before.migration().migrationId().equals(id);
    if (!latest && before.isPastMigration(id)) {
      return IgnoredReason.PAST_MIGRATION;
    }
    MigrationReported held = before.sideReport(id, report.side());
    IgnoredReason refused = Registers.refuse(held, report);
    if (refused != null) {
      return refused;
    }
    List<MigrationReported> registers = t.sideReports.edit();
    registers.remove(held);
    registers.add(report);
    t.effect(new Effect.SideRegistered(id, report.side(), report.state(), report.gen(), !latest));
    if (!latest) {
      dropOldestPendingSides(t, registers);
    }
    return null;
  }

  /** Rule 7. */
  static @Nullable IgnoredReason vmmReported(Transition t, VmmReported reported) {
    InstanceState before = t.before();
    boolean named = before.isActiveOrTarget(reported.vmmId());
    if (!named && before.isPastVmm(reported.vmmId())) {
      return IgnoredReason.PAST_VMM;
    }
    VmmReport held = before.vmmReport(reported.vmmId());
    VmmReport offered = new VmmReport(reported.vmmId(), reported.gen(), reported.state());
    IgnoredReason refused = Registers.refuse(held, offered);
    if (refused != null) {
      return refused;
    }
    List<VmmReport> registers = t.vmms.edit();
    registers.remove(held);
    registers.add(offered);
    t.effect(new Effect.VmmRegistered(reported.vmmId(), reported.state(), reported.gen(), !named));
    if (!named) {
      dropOldestPendingVmms(t, registers);
    }
    return null;
  }

  private static void dropOldestPendingSides(Transition t, List<MigrationReported> registers) {
    Migration latest = t.before().migration();
    long pending =
        registers.stream()
            .filter(r -> latest == null || !r.migrationId().equals(latest.migrationId()))
            .count();
    for (int i = 0; pending > Bounds.PENDING_SIDE_REPORTS && i < registers.size(); ) {
      MigrationReported r = registers.get(i);
      if (latest != null && r.migrationId().equals(latest.migrationId())) {
        i++;
      } else {
        registers.remove(i);
        pending--;
        t.effect(new Effect.ReportDropped("migration " + r.migrationId() + " " + r.side()));
      }
    }
  }

  private static void dropOldestPendingVmms(Transition t, List<VmmReport> registers) {
    InstanceState before = t.before();
    long pending = registers.stream().filter(r -> !before.isActiveOrTarget(r.vmmId())).count();
    for (int i = 0; pending > Bounds.PENDING_VMM_REPORTS && i < registers.size(); ) {
      VmmReport r = registers.get(i);
      if (before.isActiveOrTarget(r.vmmId())) {
        i++;
      } else {
        registers.remove(i);
        pending--;
        t.effect(new Effect.ReportDropped("VMM " + r.vmmId()));
      }
    }
  }
}
