package dev.v2pledger.projector.fold;

import dev.v2pledger.projector.fold.InstanceState.Bounds;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.MappingState;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.VmmId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The working copy of one instance's state while one event is folded: the rules mutate it, then
 * {@link #result} freezes it into a new {@link InstanceState} and the records to emit. Each key is
 * emitted at most once per event, with its final state, so one event never writes two versions of
 * one key. Local to one call of {@link Fold#apply}; never shared.
 */
final class Transition {
  private final InstanceState before;
  final CowList<Nic> nics;
  @Nullable PlacedVmm activeVmm;
  @Nullable OpenMigration migration;
  final CowList<MigrationReported> buffered;
  final CowList<VmmId> recentVmms;
  final CowList<ResolvedMigration> resolved;
  final CowList<VmmReport> vmms;
  boolean deleted;
  private @Nullable Map<MappingKey, Emission> emissions;
  private @Nullable List<Effect> effects;

  /** A key's final state within this event: SET to a target, or CLEARED. */
  private record Emission(@Nullable V2PTarget target, NicId nicId) {}

  Transition(InstanceState state) {
    this.before = state;
    this.nics = new CowList<>(state.nics());
    this.activeVmm = state.activeVmm();
    this.migration = state.migration();
    this.buffered = new CowList<>(state.buffered());
    this.recentVmms = new CowList<>(state.recentVmms());
    this.resolved = new CowList<>(state.resolved());
    this.vmms = new CowList<>(state.vmms());
    this.deleted = state.deleted();
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

  private void emit(MappingKey key, Emission emission) {
    if (emissions == null) {
      emissions = new LinkedHashMap<>();
    }
    emissions.put(key, emission);
  }

  // ---- emissions

  /** Sets every pair of {@code nic} at the active VMM's sled; no-op without a location. */
  void setPairs(Nic nic) {
    if (activeVmm == null) {
      return;
    }
    V2PTarget target = new V2PTarget(nic.mac(), activeVmm.sledUnderlayIp(), activeVmm.sledId());
    for (MappingKey key : nic.keys()) {
      emit(key, new Emission(target, nic.nicId()));
    }
  }

  void clearKeys(List<MappingKey> keys, NicId nic) {
    for (MappingKey key : keys) {
      emit(key, new Emission(null, nic));
    }
  }

  /** Every pair of every NIC, SET at the active VMM's sled. */
  void setAllPairs() {
    nics.view().forEach(this::setPairs);
  }

  /** Every pair of every NIC, CLEARED. */
  void clearAllPairs() {
    for (Nic nic : nics.view()) {
      clearKeys(nic.keys(), nic.nicId());
    }
  }

  // ---- location

  /** {@code vmm} becomes the active VMM and every pair is set there, unless it is known gone. */
  void locate(PlacedVmm vmm) {
    if (isTerminal(vmm.vmmId())) {
      loseLocation(vmm.vmmId());
      return;
    }
    activeVmm = vmm;
    setAllPairs();
    effect(new Effect.LocationSet(vmm));
  }

  /** The instance has no running VMM: every pair is cleared. */
  void loseLocation(VmmId lastVmm) {
    activeVmm = null;
    clearAllPairs();
    effect(new Effect.LocationLost(lastVmm));
  }

  boolean isTerminal(VmmId vmm) {
    for (VmmReport report : vmms.view()) {
      if (report.vmmId().equals(vmm)) {
        return report.state().isTerminal();
      }
    }
    return false;
  }

  // ---- bounded memories

  void rememberVmm(VmmId vmm) {
    List<VmmId> recent = recentVmms.edit();
    recent.remove(vmm);
    recent.add(vmm);
    while (recent.size() > Bounds.RECENT_VMMS) {
      recent.remove(0);
    }
  }

  void rememberResolved(MigrationId migrationId, MigrationOutcome outcome) {
    List<ResolvedMigration> list = resolved.edit();
    list.add(new ResolvedMigration(migrationId, outcome));
    while (list.size() > Bounds.RESOLVED_MIGRATIONS) {
      list.remove(0);
    }
  }

  /** Records a VMM's accepted report, forgetting the oldest VMM no longer referenced if full. */
  void rememberVmmReport(VmmReport report) {
    List<VmmReport> reports = vmms.edit();
    reports.removeIf(r -> r.vmmId().equals(report.vmmId()));
    reports.add(report);
    for (int i = 0; reports.size() > Bounds.VMM_REPORTS && i < reports.size(); ) {
      if (isReferenced(reports.get(i).vmmId())) {
        i++;
      } else {
        reports.remove(i);
      }
    }
  }

  private boolean isReferenced(VmmId vmm) {
    return (activeVmm != null && activeVmm.vmmId().equals(vmm))
        || (migration != null
            && (migration.sourceVmmId().equals(vmm) || migration.target().vmmId().equals(vmm)));
  }

  /** Buffers a report of a migration not seen yet, dropping the oldest when full. */
  void buffer(MigrationReported report) {
    List<MigrationReported> reports = buffered.edit();
    reports.add(report);
    effect(new Effect.ReportBuffered(report));
    while (reports.size() > Bounds.BUFFERED_REPORTS) {
      effect(new Effect.ReportDropped(reports.remove(0)));
    }
  }

  // ---- result

  FoldResult result() {
    if (emissions == null) {
      return new FoldResult(next(before.locationGen()), List.of(), null, effects());
    }
    long gen = before.locationGen() + 1;
    List<V2PMapping> records = new ArrayList<>(emissions.size());
    emissions.forEach(
        (key, emission) ->
            records.add(
                new V2PMapping(
                    key,
                    emission.target() == null ? MappingState.CLEARED : MappingState.SET,
                    emission.target(),
                    before.instanceId(),
                    emission.nicId(),
                    gen)));
    return new FoldResult(next(gen), records, null, effects());
  }

  private List<Effect> effects() {
    return effects == null ? List.of() : effects;
  }

  private InstanceState next(long gen) {
    return new InstanceState(
        before.instanceId(),
        gen,
        deleted,
        nics.frozen(),
        activeVmm,
        migration,
        buffered.frozen(),
        recentVmms.frozen(),
        resolved.frozen(),
        vmms.frozen());
  }
}
