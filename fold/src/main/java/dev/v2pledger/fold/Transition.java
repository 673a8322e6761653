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
  final CowList<Nic> nics;
  @Nullable PlacedVmm activeVmm;
  @Nullable Migration migration;
  @Nullable MigrationId failedMigration;
  final CowList<MigrationReported> sideReports;
  final CowList<VmmReport> vmms;
  final CowList<VmmId> pastVmms;
  final CowList<PastMigration> pastMigrations;
  private @Nullable List<Effect> effects;

  Transition(InstanceState state) {
    this.before = state;
    this.deleted = state.deleted();
    this.instanceGen = state.instanceGen();
    this.nics = new CowList<>(state.nics());
    this.activeVmm = state.activeVmm();
    this.migration = state.migration();
    this.failedMigration = state.failedMigration();
    this.sideReports = new CowList<>(state.sideReports());
    this.vmms = new CowList<>(state.vmms());
    this.pastVmms = new CowList<>(state.pastVmms());
    this.pastMigrations = new CowList<>(state.pastMigrations());
  }

  InstanceState before() {
    return before;
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
    vmms.edit().removeIf(r -> r.vmmId().equals(vmm));
    remember(pastVmms.edit(), vmm);
  }

  /** Nexus moved past this migration: its registers go, its id and outcome are remembered. */
  void pastMigration(MigrationId id, MigrationOutcome outcome) {
    sideReports.edit().removeIf(r -> r.migrationId().equals(id));
    remember(pastMigrations.edit(), new PastMigration(id, outcome));
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
            && !nics.edited()
            && Objects.equals(activeVmm, before.activeVmm())
            && Objects.equals(migration, before.migration())
            && Objects.equals(failedMigration, before.failedMigration())
            && !sideReports.edited()
            && !vmms.edited()
            && !pastVmms.edited()
            && !pastMigrations.edited();
    if (same) {
      return before;
    }
    return new InstanceState(
        before.instanceId(),
        before.locationGen(),
        deleted,
        instanceGen,
        nics.frozen(),
        activeVmm,
        migration,
        failedMigration,
        sideReports.frozen(),
        vmms.frozen(),
        pastVmms.frozen(),
        pastMigrations.frozen(),
        before.retired());
  }
}
