package dev.v2pledger.projector.runner;

import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.Migration;
import dev.v2pledger.fold.Nic;
import dev.v2pledger.fold.PastMigration;
import dev.v2pledger.fold.PlacedVmm;
import dev.v2pledger.fold.VmmReport;
import dev.v2pledger.schema.codec.SharedValues;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.EventPayload.VmmReported;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.VmmId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Keeps equal values once, so the states of many instances take less heap; the fold's results do
 * not change (values are compared by {@code equals}). A decoder makes a new object for every id and
 * address of every record: without this, each instance holds its own copy of its sled's id and
 * underlay address (shared by every instance on that sled) and of its VNI (shared by the VPC), and
 * one copy of a VMM id per event that named it. Sled ids, underlay addresses and VNIs are interned
 * process-wide ({@link SharedValues}: past {@link #MAX_SHARED} values, new ones are kept as they
 * are); VMM and migration ids are made one object per id within each instance's state.
 */
public final class Interner {
  /** Bound of the process-wide table (a rack has tens of sleds; VNIs are per VPC). */
  public static final int MAX_SHARED = SharedValues.DEFAULT_MAX;

  private final SharedValues shared = new SharedValues(MAX_SHARED);

  /** Canonical instance of a shared value (sled id, underlay address, VNI). */
  <T> T shared(T value) {
    return shared.of(value);
  }

  /**
   * The event with its shared values interned and its VMM and migration ids replaced by the equal
   * ones {@code state} already holds.
   */
  public InstanceEvent intern(InstanceEvent event, InstanceState state) {
    EventPayload payload = event.payload();
    EventPayload canonical = payload;
    if (payload instanceof NicAttached p) {
      canonical = new NicAttached(p.nicId(), shared(p.vni()), p.mac(), p.ips(), p.ipEpoch());
    } else if (payload instanceof VmmPlaced p) {
      canonical =
          new VmmPlaced(vmm(p.vmmId(), state), shared(p.sledId()), shared(p.sledUnderlayIp()));
    } else if (payload instanceof MigrationStarted p) {
      canonical =
          new MigrationStarted(
              p.migrationId(),
              vmm(p.sourceVmmId(), state),
              vmm(p.targetVmmId(), state),
              shared(p.targetSledId()),
              shared(p.targetSledUnderlayIp()));
    } else if (payload instanceof MigrationReported p) {
      canonical =
          new MigrationReported(migration(p.migrationId(), state), p.side(), p.state(), p.gen());
    } else if (payload instanceof VmmReported p) {
      canonical = new VmmReported(vmm(p.vmmId(), state), p.state(), p.gen());
    }
    return canonical == payload
        ? event
        : new InstanceEvent(
            event.eventId(),
            event.instanceId(),
            event.occurredAt(),
            event.source(),
            canonical,
            event.instanceGen());
  }

  /** A state as decoded from the changelog, with every shared value and repeated id once. */
  public InstanceState intern(InstanceState state) {
    Map<Object, Object> local = new HashMap<>();
    List<Nic> nics = new ArrayList<>(state.nics().size());
    for (Nic nic : state.nics()) {
      nics.add(new Nic(nic.nicId(), shared(nic.vni()), nic.mac(), nic.ips(), nic.ipEpoch()));
    }
    Migration migration = state.migration();
    if (migration != null) {
      migration =
          new Migration(
              one(local, migration.migrationId()),
              one(local, migration.sourceVmmId()),
              placed(local, migration.target()));
    }
    List<MigrationReported> sides = new ArrayList<>(state.sideReports().size());
    for (MigrationReported report : state.sideReports()) {
      sides.add(
          new MigrationReported(
              one(local, report.migrationId()), report.side(), report.state(), report.gen()));
    }
    List<VmmId> past = new ArrayList<>(state.pastVmms().size());
    state.pastVmms().forEach(vmm -> past.add(one(local, vmm)));
    List<PastMigration> pastMigrations = new ArrayList<>(state.pastMigrations().size());
    for (PastMigration r : state.pastMigrations()) {
      pastMigrations.add(new PastMigration(one(local, r.migrationId()), r.outcome()));
    }
    List<VmmReport> vmms = new ArrayList<>(state.vmms().size());
    for (VmmReport report : state.vmms()) {
      vmms.add(new VmmReport(one(local, report.vmmId()), report.gen(), report.state()));
    }
    MigrationId failed = state.failedMigration();
    return new InstanceState(
        state.instanceId(),
        state.locationGen(),
        state.deleted(),
        state.instanceGen(),
        nics,
        placed(local, state.activeVmm()),
        migration,
        failed == null ? null : one(local, failed),
        sides,
        vmms,
        past,
        pastMigrations,
        state.retired());
  }

  private @Nullable PlacedVmm placed(Map<Object, Object> local, @Nullable PlacedVmm vmm) {
    return vmm == null
        ? null
        : new PlacedVmm(
            one(local, vmm.vmmId()), shared(vmm.sledId()), shared(vmm.sledUnderlayIp()));
  }

  @SuppressWarnings("unchecked")
  private static <T> T one(Map<Object, Object> local, T id) {
    return (T) local.computeIfAbsent(id, k -> k);
  }

  /** The equal VMM id {@code state} holds, or {@code id}. */
  private static VmmId vmm(VmmId id, InstanceState state) {
    PlacedVmm active = state.activeVmm();
    if (active != null && active.vmmId().equals(id)) {
      return active.vmmId();
    }
    Migration migration = state.migration();
    if (migration != null) {
      if (migration.sourceVmmId().equals(id)) {
        return migration.sourceVmmId();
      }
      if (migration.target().vmmId().equals(id)) {
        return migration.target().vmmId();
      }
    }
    for (VmmId recent : state.pastVmms()) {
      if (recent.equals(id)) {
        return recent;
      }
    }
    for (VmmReport report : state.vmms()) {
      if (report.vmmId().equals(id)) {
        return report.vmmId();
      }
    }
    return id;
  }

  /** The equal migration id {@code state} holds, or {@code id}. */
  private static MigrationId migration(MigrationId id, InstanceState state) {
    Migration open = state.migration();
    if (open != null && open.migrationId().equals(id)) {
      return open.migrationId();
    }
    for (MigrationReported report : state.sideReports()) {
      if (report.migrationId().equals(id)) {
        return report.migrationId();
      }
    }
    return id;
  }
}
