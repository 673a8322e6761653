package dev.v2pledger.projector.fold;

import dev.v2pledger.projector.fold.InstanceState.Bounds;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.MappingKey;
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
  final List<Nic> nics;
  @Nullable PlacedVmm activeVmm;
  @Nullable OpenMigration migration;
  final List<MigrationReported> buffered;
  final List<VmmId> recentVmms;
  final List<ResolvedMigration> resolved;
  final List<VmmReport> vmms;
  boolean deleted;
  private final Map<MappingKey, Emission> emissions = new LinkedHashMap<>();
  private final List<Effect> effects = new ArrayList<>();

  /** A key's final state within this event: SET to a target, or CLEARED. */
  private record Emission(@Nullable V2PTarget target, NicId nicId) {}

  Transition(InstanceState state) {
    this.before = state;
    this.nics = new ArrayList<>(state.nics());
    this.activeVmm = state.activeVmm();
    this.migration = state.migration();
    this.buffered = new ArrayList<>(state.buffered());
    this.recentVmms = new ArrayList<>(state.recentVmms());
    this.resolved = new ArrayList<>(state.resolved());
    this.vmms = new ArrayList<>(state.vmms());
    this.deleted = state.deleted();
  }

  InstanceState before() {
    return before;
  }

  void effect(Effect effect) {
    effects.add(effect);
  }

  // ---- emissions

  /** Sets every pair of {@code nic} at the active VMM's sled; no-op without a location. */
  void setPairs(Nic nic) {
    if (activeVmm == null) {
      return;
    }
    V2PTarget target = new V2PTarget(nic.mac(), activeVmm.sledUnderlayIp(), activeVmm.sledId());
    for (MappingKey key : nic.keys()) {
      emissions.put(key, new Emission(target, nic.nicId()));
    }
  }

  void clearKeys(List<MappingKey> keys, NicId nic) {
    for (MappingKey key : keys) {
      emissions.put(key, new Emission(null, nic));
    }
  }

  /** Every pair of every NIC, SET at the active VMM's sled. */
  void setAllPairs() {
    nics.forEach(this::setPairs);
  }

  /** Every pair of every NIC, CLEARED. */
  void clearAllPairs() {
    for (Nic nic : nics) {
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
    for (VmmReport report : vmms) {
      if (report.vmmId().equals(vmm)) {
        return report.state().isTerminal();
      }
    }
    return false;
  }

  // ---- bounded memories

  void rememberVmm(VmmId vmm) {
    recentVmms.remove(vmm);
    recentVmms.add(vmm);
    while (recentVmms.size() > Bounds.RECENT_VMMS) {
      recentVmms.remove(0);
    }
  }

  void rememberResolved(MigrationId migrationId, MigrationOutcome outcome) {
    resolved.add(new ResolvedMigration(migrationId, outcome));
    while (resolved.size() > Bounds.RESOLVED_MIGRATIONS) {
      resolved.remove(0);
    }
  }

  /** Records a VMM's accepted report, forgetting the oldest VMM no longer referenced if full. */
  void rememberVmmReport(VmmReport report) {
    vmms.removeIf(r -> r.vmmId().equals(report.vmmId()));
    vmms.add(report);
    for (int i = 0; vmms.size() > Bounds.VMM_REPORTS && i < vmms.size(); ) {
      if (isReferenced(vmms.get(i).vmmId())) {
        i++;
      } else {
        vmms.remove(i);
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
    buffered.add(report);
    effect(new Effect.ReportBuffered(report));
    while (buffered.size() > Bounds.BUFFERED_REPORTS) {
      effect(new Effect.ReportDropped(buffered.remove(0)));
    }
  }

  // ---- result

  FoldResult result() {
    long gen = emissions.isEmpty() ? before.locationGen() : before.locationGen() + 1;
    List<V2PMapping> records = new ArrayList<>(emissions.size());
    emissions.forEach(
        (key, emission) ->
            records.add(
                new V2PMapping(
                    key,
                    emission.target() == null
                        ? dev.v2pledger.schema.domain.MappingState.CLEARED
                        : dev.v2pledger.schema.domain.MappingState.SET,
                    emission.target(),
                    before.instanceId(),
                    emission.nicId(),
                    gen)));
    InstanceState after =
        new InstanceState(
            before.instanceId(),
            gen,
            deleted,
            nics,
            activeVmm,
            migration,
            buffered,
            recentVmms,
            resolved,
            vmms);
    return new FoldResult(after, records, null, effects);
  }
}
