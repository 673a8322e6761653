package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.VmmId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The working copy of one instance's state while one event is folded: the rules change it, then
 * {@link #next} freezes it into a new {@link InstanceState} (the same value when nothing changed).
 * Local to one call of {@link Fold#apply}; never shared.
 */
final class Transition {
  private final InstanceState before;
  boolean deleted;
  long instanceGen;
  private @Nullable CowList<Nic> nics;
  @Nullable PlacedVmm activeVmm;
  @Nullable Migration migration;
  @Nullable MigrationId failedMigration;
  private @Nullable CowList<MigrationReported> sideReports;
  private @Nullable CowList<VmmReport> vmms;
  private @Nullable CowList<VmmId> pastVmms;
  private @Nullable CowList<PastMigration> pastMigrations;
  private @Nullable List<Effect> effects;

  Transition(InstanceState state) {
    this.before = state;
    this.deleted = state.deleted();
    this.instanceGen = state.instanceGen();
    this.activeVmm = state.activeVmm();
    this.migration = state.migration();
    this.failedMigration = state.failedMigration();
  }

  InstanceState before() {
    return before;
  }

  // The lists' working copies are made when a rule first asks for one: most events change one
  // list or none, and an untouched list is handed on to the next state as it is.

  CowList<Nic> nics() {
    if (nics == null) {
      nics = new CowList<>(before.nics());
    }
    return nics;
  }

  CowList<MigrationReported> sideReports() {
    if (sideReports == null) {
      sideReports = new CowList<>(before.sideReports());
    }
    return sideReports;
  }

  CowList<VmmReport> vmms() {
    if (vmms == null) {
      vmms = new CowList<>(before.vmms());
    }
    return vmms;
  }

  CowList<VmmId> pastVmms() {
    if (pastVmms == null) {
      pastVmms = new CowList<>(before.pastVmms());
    }
    return pastVmms;
  }

  CowList<PastMigration> pastMigrations() {
    if (pastMigrations == null) {
      pastMigrations = new CowList<>(before.pastMigrations());
    }
    return pastMigrations;
  }

  void effect(Effect effect) {
    if (effects == null) {
      effects = new ArrayList<>(4);
    }
    effects.add(effect);
  }

  List<Effect> effects() {
    return effects == null ? List.of() : effects;
  }

  /** Nexus moved past this VMM: its register goes, its id is remembered (the last 8). */
  void pastVmm(VmmId vmm) {
    vmms().edit().removeIf(r -> r.vmmId().equals(vmm));
    remember(pastVmms().edit(), vmm);
  }

  /** Nexus moved past this migration: its registers go, its id and outcome are remembered. */
  void pastMigration(MigrationId id, MigrationOutcome outcome) {
    sideReports().edit().removeIf(r -> r.migrationId().equals(id));
    remember(pastMigrations().edit(), new PastMigration(id, outcome));
  }

  private static <T> void remember(List<T> memory, T id) {
    memory.remove(id);
    memory.add(id);
    while (memory.size() > InstanceState.Bounds.PAST) {
      memory.remove(0);
    }
  }

  /** The state after the event: {@link #before} itself when nothing changed. */
  InstanceState next() {
    boolean same =
        deleted == before.deleted()
            && instanceGen == before.instanceGen()
            && !edited(nics)
            && Objects.equals(activeVmm, before.activeVmm())
            && Objects.equals(migration, before.migration())
            && Objects.equals(failedMigration, before.failedMigration())
            && !edited(sideReports)
            && !edited(vmms)
            && !edited(pastVmms)
            && !edited(pastMigrations);
    if (same) {
      return before;
    }
    return new InstanceState(
        before.instanceId(),
        before.locationGen(),
        deleted,
        instanceGen,
        frozen(nics, before.nics()),
        activeVmm,
        migration,
        failedMigration,
        frozen(sideReports, before.sideReports()),
        frozen(vmms, before.vmms()),
        frozen(pastVmms, before.pastVmms()),
        frozen(pastMigrations, before.pastMigrations()),
        before.retired());
  }

  private static boolean edited(@Nullable CowList<?> list) {
    return list != null && list.edited();
  }

  private static <T> List<T> frozen(@Nullable CowList<T> list, List<T> original) {
    return list == null ? original : list.frozen();
  }
}
