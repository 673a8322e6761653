package dev.v2pledger.fold;

import dev.v2pledger.fold.InstanceState.Bounds;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.VmmReported;
import dev.v2pledger.schema.domain.MigrationId;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
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
    List<MigrationReported> registers = t.sideReports().replace(held, report);
    t.effect(new Effect.SideRegistered(id, report.side(), report.state(), report.gen(), !latest));
    if (!latest) {
      Migration open = before.migration();
      dropOldestPending(
          t,
          registers,
          Bounds.PENDING_SIDE_REPORTS,
          r -> open != null && r.migrationId().equals(open.migrationId()),
          r -> "migration " + r.migrationId() + " " + r.side());
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
    List<VmmReport> registers = t.vmms().replace(held, offered);
    t.effect(new Effect.VmmRegistered(reported.vmmId(), reported.state(), reported.gen(), !named));
    if (!named) {
      dropOldestPending(
          t,
          registers,
          Bounds.PENDING_VMM_REPORTS,
          r -> before.isActiveOrTarget(r.vmmId()),
          r -> "VMM " + r.vmmId());
    }
    return null;
  }

  /**
   * Drops the oldest registers Nexus has not named ({@code named} false) while there are more than
   * {@code bound} of them, each as a {@link Effect.ReportDropped} saying {@code what} it held.
   */
  private static <R> void dropOldestPending(
      Transition t, List<R> registers, int bound, Predicate<R> named, Function<R, String> what) {
    if (registers.size() <= bound) {
      return; // no more pending registers than registers: nothing to count
    }
    long pending = registers.stream().filter(named.negate()).count();
    for (int i = 0; pending > bound && i < registers.size(); ) {
      R r = registers.get(i);
      if (named.test(r)) {
        i++;
      } else {
        registers.remove(i);
        pending--;
        t.effect(new Effect.ReportDropped(what.apply(r)));
      }
    }
  }
}
