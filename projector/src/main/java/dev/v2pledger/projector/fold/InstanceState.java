package dev.v2pledger.projector.fold;

import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.VmmId;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything the fold knows about one instance. Immutable; the fold returns a new value when
 * anything changes and the same value when nothing does.
 *
 * @param locationGen increases by one for each event that emits records
 * @param deleted after {@code InstanceDeleted} every event is ignored
 * @param nics attached NICs, in attach order
 * @param activeVmm the VMM the instance runs in, or null when it has no location
 * @param migration the unresolved migration, or null
 * @param buffered reports of migrations not seen yet, oldest first (at most {@link
 *     Bounds#BUFFERED_REPORTS})
 * @param recentVmms VMMs seen placed or targeted, oldest first (at most {@link Bounds#RECENT_VMMS})
 * @param resolved the last resolved migrations, oldest first (at most {@link
 *     Bounds#RESOLVED_MIGRATIONS})
 * @param vmms the last accepted report per VMM (at most {@link Bounds#VMM_REPORTS})
 */
public record InstanceState(
    InstanceId instanceId,
    long locationGen,
    boolean deleted,
    List<Nic> nics,
    @Nullable PlacedVmm activeVmm,
    @Nullable OpenMigration migration,
    List<MigrationReported> buffered,
    List<VmmId> recentVmms,
    List<ResolvedMigration> resolved,
    List<VmmReport> vmms) {

  /** The fold's bounds (DESIGN): what is remembered, and how much. */
  public static final class Bounds {
    public static final int BUFFERED_REPORTS = 16;
    public static final int RESOLVED_MIGRATIONS = 8;
    public static final int RECENT_VMMS = 8;
    public static final int VMM_REPORTS = 16;

    private Bounds() {}
  }

  public InstanceState {
    nics = List.copyOf(nics);
    buffered = List.copyOf(buffered);
    recentVmms = List.copyOf(recentVmms);
    resolved = List.copyOf(resolved);
    vmms = List.copyOf(vmms);
  }

  /** An instance nothing is known of yet. */
  public static InstanceState empty(InstanceId instanceId) {
    return new InstanceState(
        instanceId, 0, false, List.of(), null, null, List.of(), List.of(), List.of(), List.of());
  }

  public @Nullable Nic nic(NicId id) {
    for (Nic nic : nics) {
      if (nic.nicId().equals(id)) {
        return nic;
      }
    }
    return null;
  }

  public @Nullable VmmReport vmmReport(VmmId id) {
    for (VmmReport report : vmms) {
      if (report.vmmId().equals(id)) {
        return report;
      }
    }
    return null;
  }

  /** Whether a DESTROYED or FAILED report of this VMM was accepted. */
  public boolean isTerminal(VmmId id) {
    VmmReport report = vmmReport(id);
    return report != null && report.state().isTerminal();
  }

  public boolean isResolved(MigrationId id) {
    for (ResolvedMigration migration : resolved) {
      if (migration.migrationId().equals(id)) {
        return true;
      }
    }
    return false;
  }

  /** Every (vni, ip, epoch) the instance owns through its NICs. */
  public List<MappingKey> ownedKeys() {
    List<MappingKey> keys = new ArrayList<>();
    for (Nic nic : nics) {
      keys.addAll(nic.keys());
    }
    return keys;
  }

  /** The sled the instance is on, through its active VMM. */
  public boolean hasLocation() {
    return activeVmm != null;
  }

  InstanceState withLocationGen(long gen) {
    return new InstanceState(
        instanceId, gen, deleted, nics, activeVmm, migration, buffered, recentVmms, resolved, vmms);
  }
}
