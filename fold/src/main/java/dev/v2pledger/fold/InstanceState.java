package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.VmmId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything the fold knows about one instance (DESIGN "State per instance"). Immutable; the fold
 * returns a new value when anything changes and the same value when nothing does. The lookups the
 * fold makes for every event walk their lists by index: an iterator over an immutable list is an
 * allocation per lookup that the JIT does not always remove.
 *
 * @param locationGen increases by one for each event that emits records
 * @param deleted after {@code InstanceDeleted} every event is ignored
 * @param instanceGen the highest Nexus {@code instance_gen} folded (0 before any)
 * @param nics attached NICs, in attach order
 * @param activeVmm the VMM Nexus last named active, with its sled, or null
 * @param migration the latest migration Nexus started out of it, or null
 * @param failedMigration the re-assert token: the migration Nexus moved past as failed while the
 *     active VMM stayed, or null
 * @param sideReports migration report registers, one per (migration, side), oldest first
 * @param vmms VMM report registers, one per VMM, oldest first
 * @param pastVmms VMMs Nexus moved past, oldest first (at most {@link Bounds#PAST})
 * @param pastMigrations migrations Nexus moved past, oldest first (at most {@link Bounds#PAST})
 * @param retired keys of allocations the instance no longer has, until the projector removes them
 *     (DESIGN "Bounded growth")
 */
public record InstanceState(
    InstanceId instanceId,
    long locationGen,
    boolean deleted,
    long instanceGen,
    List<Nic> nics,
    @Nullable PlacedVmm activeVmm,
    @Nullable Migration migration,
    @Nullable MigrationId failedMigration,
    List<MigrationReported> sideReports,
    List<VmmReport> vmms,
    List<VmmId> pastVmms,
    List<PastMigration> pastMigrations,
    List<MappingKey> retired) {

  /** The fold's bounds (DESIGN "Bounds"): what is remembered, and how much. */
  public static final class Bounds {
    /** Registers of migration sides Nexus has not named, kept besides the latest migration's. */
    public static final int PENDING_SIDE_REPORTS = 16;

    /** Registers of VMMs Nexus has not named, kept besides the active VMM's and the target's. */
    public static final int PENDING_VMM_REPORTS = 16;

    /** Past VMM ids and past migration ids remembered, each. */
    public static final int PAST = 8;

    /**
     * NICs of one instance (Omicron allows 8). With the schema's 256 IPs a NIC, this and {@link
     * #RETIRED} keep a state well inside one changelog record.
     */
    public static final int NICS = 16;

    /** Retired keys remembered: every key of {@link #NICS} full NICs, so a deletion keeps all. */
    public static final int RETIRED = NICS * EventPayload.NicAttached.MAX_IPS;

    /**
     * Owned and retired keys together: only a state written before the NIC bound owns more than
     * {@link #RETIRED}, and it keeps fewer retired keys for it, so that it never grows.
     */
    public static final int KEYS = 2 * RETIRED;

    private Bounds() {}
  }

  public InstanceState {
    nics = List.copyOf(nics);
    sideReports = List.copyOf(sideReports);
    vmms = List.copyOf(vmms);
    pastVmms = List.copyOf(pastVmms);
    pastMigrations = List.copyOf(pastMigrations);
    retired = List.copyOf(retired);
  }

  /** An instance nothing is known of yet. */
  public static InstanceState empty(InstanceId instanceId) {
    return new InstanceState(
        instanceId,
        0,
        false,
        0,
        List.of(),
        null,
        null,
        null,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        List.of());
  }

  /**
   * This state without {@code removed} among its retired keys: the projector wrote their tombstones
   * (DESIGN "Bounded growth"). Not a fold step: no event causes it.
   */
  public InstanceState withoutRetired(Collection<MappingKey> removed) {
    List<MappingKey> kept = new ArrayList<>(retired);
    if (!kept.removeAll(new HashSet<>(removed))) {
      return this;
    }
    return new InstanceState(
        instanceId,
        locationGen,
        deleted,
        instanceGen,
        nics,
        activeVmm,
        migration,
        failedMigration,
        sideReports,
        vmms,
        pastVmms,
        pastMigrations,
        kept);
  }

  public @Nullable Nic nic(NicId id) {
    for (int i = 0; i < nics.size(); i++) {
      Nic nic = nics.get(i);
      if (nic.nicId().equals(id)) {
        return nic;
      }
    }
    return null;
  }

  /** The register of {@code id}, or null. */
  public @Nullable VmmReport vmmReport(VmmId id) {
    for (int i = 0; i < vmms.size(); i++) {
      VmmReport report = vmms.get(i);
      if (report.vmmId().equals(id)) {
        return report;
      }
    }
    return null;
  }

  /** The register of one side of one migration, or null. */
  public @Nullable MigrationReported sideReport(MigrationId id, MigrationSide side) {
    for (int i = 0; i < sideReports.size(); i++) {
      MigrationReported report = sideReports.get(i);
      if (report.migrationId().equals(id) && report.side() == side) {
        return report;
      }
    }
    return null;
  }

  /** Whether a DESTROYED or FAILED report of this VMM is in its register. */
  public boolean isTerminal(VmmId id) {
    VmmReport report = vmmReport(id);
    return report != null && report.isTerminal();
  }

  /** Rule 8: FAILED if either side's register is FAILED, else COMPLETED if either is, else OPEN. */
  public MigrationOutcome outcome(MigrationId id) {
    boolean completed = false;
    for (int i = 0; i < sideReports.size(); i++) {
      MigrationReported report = sideReports.get(i);
      if (report.migrationId().equals(id)) {
        if (report.state() == MigrationState.FAILED) {
          return MigrationOutcome.FAILED;
        }
        completed |= report.state() == MigrationState.COMPLETED;
      }
    }
    return completed ? MigrationOutcome.COMPLETED : MigrationOutcome.OPEN;
  }

  /** Whether Nexus moved past this VMM (it is one of the remembered past ones). */
  public boolean isPastVmm(VmmId id) {
    return pastVmms.contains(id);
  }

  /** Whether Nexus moved past this migration (it is one of the remembered past ones). */
  public boolean isPastMigration(MigrationId id) {
    for (int i = 0; i < pastMigrations.size(); i++) {
      if (pastMigrations.get(i).migrationId().equals(id)) {
        return true;
      }
    }
    return false;
  }

  /** Whether Nexus named this VMM: active, the latest migration's target, or past. */
  public boolean named(VmmId id) {
    return isActiveOrTarget(id) || isPastVmm(id);
  }

  /** The active VMM or the latest migration's target: registers that are never dropped. */
  boolean isActiveOrTarget(VmmId id) {
    return (activeVmm != null && activeVmm.vmmId().equals(id))
        || (migration != null && migration.target().vmmId().equals(id));
  }

  /** Every (vni, ip, epoch) the instance owns through its NICs. */
  public List<MappingKey> ownedKeys() {
    List<MappingKey> keys = new ArrayList<>();
    for (Nic nic : nics) {
      keys.addAll(nic.keys());
    }
    return keys;
  }

  /** Rule 8: where the instance is now. */
  public Location location() {
    return Location.of(this);
  }

  /** Whether the instance runs somewhere (rule 8). */
  public boolean hasLocation() {
    return location().vmm() != null;
  }
}
