package dev.v2pledger.fold.state;

import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.Migration;
import dev.v2pledger.fold.MigrationOutcome;
import dev.v2pledger.fold.Nic;
import dev.v2pledger.fold.PastMigration;
import dev.v2pledger.fold.PlacedVmm;
import dev.v2pledger.fold.Registers;
import dev.v2pledger.fold.VmmReport;
import dev.v2pledger.schema.avro.BufferedReport;
import dev.v2pledger.schema.avro.InstanceStateRecord;
import dev.v2pledger.schema.avro.NicState;
import dev.v2pledger.schema.avro.OpenMigration;
import dev.v2pledger.schema.avro.ResolvedMigration;
import dev.v2pledger.schema.avro.VmmReportState;
import dev.v2pledger.schema.codec.DomainCodec;
import dev.v2pledger.schema.codec.Fields;
import dev.v2pledger.schema.codec.SchemaSource;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@link InstanceState} as Avro single-object bytes: the value format of {@code
 * v2p.instance-state}.
 */
public final class InstanceStateCodec extends DomainCodec<InstanceStateRecord, InstanceState> {

  public InstanceStateCodec() {
    this(SchemaSource.none());
  }

  /**
   * A codec that also reads the compatible writer schemas {@code source} knows, but none with a
   * field or symbol this build lacks: the projector writes every state it restores back, and would
   * drop them for good (a newer build's state is refused, and the restore stops, instead).
   */
  public InstanceStateCodec(SchemaSource source) {
    super(
        InstanceStateRecord.getClassSchema(),
        source,
        true,
        InstanceStateCodec::toAvro,
        InstanceStateCodec::fromAvro);
  }

  static InstanceStateRecord toAvro(InstanceState state) {
    Migration migration = state.migration();
    return InstanceStateRecord.newBuilder()
        .setInstanceId(state.instanceId().toString())
        .setLocationGen(state.locationGen())
        .setDeleted(state.deleted())
        .setInstanceGen(state.instanceGen())
        .setNics(state.nics().stream().map(InstanceStateCodec::nicToAvro).toList())
        .setActiveVmm(placedToAvro(state.activeVmm()))
        .setMigration(
            migration == null
                ? null
                : new OpenMigration(
                    migration.migrationId().toString(),
                    migration.sourceVmmId().toString(),
                    placedToAvro(migration.target()),
                    null,
                    null))
        .setFailedMigrationId(
            state.failedMigration() == null ? null : state.failedMigration().toString())
        .setRetiredKeys(state.retired().stream().map(MappingKey::toString).toList())
        .setBufferedReports(
            state.sideReports().stream().map(InstanceStateCodec::reportToAvro).toList())
        .setRecentVmmIds(state.pastVmms().stream().map(VmmId::toString).toList())
        .setResolvedMigrations(
            state.pastMigrations().stream()
                .map(
                    r ->
                        new ResolvedMigration(
                            r.migrationId().toString(),
                            dev.v2pledger.schema.avro.MigrationOutcome.valueOf(r.outcome().name())))
                .toList())
        .setVmms(
            state.vmms().stream()
                .map(
                    v ->
                        new VmmReportState(
                            v.vmmId().toString(),
                            v.gen(),
                            dev.v2pledger.schema.avro.VmmState.valueOf(v.state().name())))
                .toList())
        .build();
  }

  /**
   * The state of a record written by this version or by one before v2. A v1 record is read as the
   * same facts: its open migration's report gens become that migration's registers, its buffered
   * reports are joined into registers, and its remembered VMMs lose the active VMM and the target
   * (v1 remembered every VMM seen; v2 remembers only past ones).
   */
  static InstanceState fromAvro(InstanceStateRecord record) {
    PlacedVmm active = placedFromAvro(record.getActiveVmm());
    OpenMigration open = record.getMigration();
    Migration migration =
        open == null
            ? null
            : new Migration(
                Fields.parse("migration.migration_id", open.getMigrationId(), MigrationId::parse),
                Fields.parse("migration.source_vmm_id", open.getSourceVmmId(), VmmId::parse),
                placedFromAvro(open.getTarget()));
    List<MigrationReported> sides = new ArrayList<>();
    for (BufferedReport report : record.getBufferedReports()) {
      join(sides, reportFromAvro(report));
    }
    if (migration != null) {
      v1Gen(sides, migration, MigrationSide.SOURCE, open.getSourceGen(), "migration.source_gen");
      v1Gen(sides, migration, MigrationSide.TARGET, open.getTargetGen(), "migration.target_gen");
    }
    List<VmmId> past = new ArrayList<>();
    for (String id : record.getRecentVmmIds()) {
      VmmId vmm = Fields.parse("recent_vmm_ids", id, VmmId::parse);
      boolean current =
          (active != null && active.vmmId().equals(vmm))
              || (migration != null && migration.target().vmmId().equals(vmm));
      if (!current) {
        past.add(vmm);
      }
    }
    String failed = record.getFailedMigrationId();
    return new InstanceState(
        Fields.parse("instance_id", record.getInstanceId(), InstanceId::parse),
        Fields.nonNegative("location_gen", record.getLocationGen()),
        record.getDeleted(),
        Fields.nonNegative("instance_gen", record.getInstanceGen()),
        record.getNics().stream().map(InstanceStateCodec::nicFromAvro).toList(),
        active,
        migration,
        failed == null ? null : Fields.parse("failed_migration_id", failed, MigrationId::parse),
        sides,
        record.getVmms().stream()
            .map(
                v ->
                    new VmmReport(
                        Fields.parse("vmms", v.getVmmId(), VmmId::parse),
                        Fields.nonNegative("vmms.gen", v.getGen()),
                        VmmState.valueOf(v.getState().name())))
            .toList(),
        past,
        record.getResolvedMigrations().stream()
            .map(
                r ->
                    new PastMigration(
                        Fields.parse("resolved_migrations", r.getMigrationId(), MigrationId::parse),
                        MigrationOutcome.valueOf(r.getOutcome().name())))
            .toList(),
        record.getRetiredKeys().stream()
            .map(key -> Fields.parse("retired_keys", key, MappingKey::parse))
            .toList());
  }

  /** Keeps the higher of two reports of one (migration, side) (DESIGN "Registers"). */
  private static void join(List<MigrationReported> registers, MigrationReported report) {
    for (int i = 0; i < registers.size(); i++) {
      MigrationReported held = registers.get(i);
      if (held.migrationId().equals(report.migrationId()) && held.side() == report.side()) {
        if (Registers.above(held, report)) {
          registers.set(i, report);
        }
        return;
      }
    }
    registers.add(report);
  }

  /** A v1 open migration's last accepted gen of one side: a non-terminal register. */
  private static void v1Gen(
      List<MigrationReported> registers,
      Migration migration,
      MigrationSide side,
      @Nullable Long gen,
      String field) {
    if (gen != null) {
      join(
          registers,
          new MigrationReported(
              migration.migrationId(),
              side,
              MigrationState.IN_PROGRESS,
              Fields.nonNegative(field, gen)));
    }
  }

  private static NicState nicToAvro(Nic nic) {
    return new NicState(
        nic.nicId().toString(),
        nic.vni().value(),
        nic.mac().toString(),
        nic.ips().stream().map(IpAddr::toString).toList(),
        nic.ipEpoch());
  }

  private static Nic nicFromAvro(NicState nic) {
    List<IpAddr> ips =
        nic.getIps().stream().map(ip -> Fields.parse("nics.ips", ip, IpAddr::parse)).toList();
    return new Nic(
        Fields.parse("nics.nic_id", nic.getNicId(), NicId::parse),
        Fields.build("nics.vni", () -> new Vni(nic.getVni())),
        Fields.parse("nics.mac", nic.getMac(), MacAddr::parse),
        ips,
        Fields.nonNegative("nics.ip_epoch", nic.getIpEpoch()));
  }

  private static dev.v2pledger.schema.avro.@Nullable PlacedVmm placedToAvro(
      @Nullable PlacedVmm vmm) {
    return vmm == null
        ? null
        : new dev.v2pledger.schema.avro.PlacedVmm(
            vmm.vmmId().toString(), vmm.sledId().toString(), vmm.sledUnderlayIp().toString());
  }

  private static @Nullable PlacedVmm placedFromAvro(
      dev.v2pledger.schema.avro.@Nullable PlacedVmm vmm) {
    return vmm == null
        ? null
        : new PlacedVmm(
            Fields.parse("vmm_id", vmm.getVmmId(), VmmId::parse),
            Fields.parse("sled_id", vmm.getSledId(), SledId::parse),
            Fields.parse("sled_underlay_ip", vmm.getSledUnderlayIp(), Ipv6Addr::parse));
  }

  private static BufferedReport reportToAvro(MigrationReported report) {
    return new BufferedReport(
        report.migrationId().toString(),
        dev.v2pledger.schema.avro.MigrationSide.valueOf(report.side().name()),
        dev.v2pledger.schema.avro.MigrationState.valueOf(report.state().name()),
        report.gen());
  }

  private static MigrationReported reportFromAvro(BufferedReport report) {
    return new MigrationReported(
        Fields.parse("buffered_reports", report.getMigrationId(), MigrationId::parse),
        MigrationSide.valueOf(report.getSide().name()),
        MigrationState.valueOf(report.getState().name()),
        report.getGen());
  }
}
