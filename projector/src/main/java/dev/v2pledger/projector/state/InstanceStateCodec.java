package dev.v2pledger.projector.state;

import dev.v2pledger.projector.fold.InstanceState;
import dev.v2pledger.projector.fold.MigrationOutcome;
import dev.v2pledger.projector.fold.Nic;
import dev.v2pledger.projector.fold.OpenMigration;
import dev.v2pledger.projector.fold.PlacedVmm;
import dev.v2pledger.projector.fold.ResolvedMigration;
import dev.v2pledger.projector.fold.VmmReport;
import dev.v2pledger.schema.avro.BufferedReport;
import dev.v2pledger.schema.avro.InstanceStateRecord;
import dev.v2pledger.schema.avro.NicState;
import dev.v2pledger.schema.codec.AvroRecordCodec;
import dev.v2pledger.schema.codec.Fields;
import dev.v2pledger.schema.codec.RecordCodec;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.RecordDecodeException.Reason;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.domain.Vni;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@link InstanceState} as Avro single-object bytes: the value format of {@code
 * v2p.instance-state}.
 */
public final class InstanceStateCodec implements RecordCodec<InstanceState> {
  private final AvroRecordCodec<InstanceStateRecord> avro =
      AvroRecordCodec.forSchema(InstanceStateRecord.getClassSchema());

  @Override
  public byte[] encode(InstanceState state) {
    return avro.encode(toAvro(state));
  }

  @Override
  public InstanceState decode(byte[] bytes, RecordOrigin origin) {
    InstanceStateRecord record = avro.decode(bytes, origin);
    try {
      return fromAvro(record);
    } catch (IllegalArgumentException e) {
      throw new RecordDecodeException(Reason.INVALID_VALUE, origin, e.getMessage(), e);
    }
  }

  @Override
  public String schemaName() {
    return avro.schemaName();
  }

  @Override
  public String fingerprintHex() {
    return avro.fingerprintHex();
  }

  static InstanceStateRecord toAvro(InstanceState state) {
    OpenMigration migration = state.migration();
    return InstanceStateRecord.newBuilder()
        .setInstanceId(state.instanceId().toString())
        .setLocationGen(state.locationGen())
        .setDeleted(state.deleted())
        .setNics(state.nics().stream().map(InstanceStateCodec::nicToAvro).toList())
        .setActiveVmm(placedToAvro(state.activeVmm()))
        .setMigration(
            migration == null
                ? null
                : new dev.v2pledger.schema.avro.OpenMigration(
                    migration.migrationId().toString(),
                    migration.sourceVmmId().toString(),
                    placedToAvro(migration.target()),
                    migration.sourceGen(),
                    migration.targetGen()))
        .setBufferedReports(
            state.buffered().stream().map(InstanceStateCodec::reportToAvro).toList())
        .setRecentVmmIds(state.recentVmms().stream().map(VmmId::toString).toList())
        .setResolvedMigrations(
            state.resolved().stream()
                .map(
                    r ->
                        new dev.v2pledger.schema.avro.ResolvedMigration(
                            r.migrationId().toString(),
                            dev.v2pledger.schema.avro.MigrationOutcome.valueOf(r.outcome().name())))
                .toList())
        .setVmms(
            state.vmms().stream()
                .map(
                    v ->
                        new dev.v2pledger.schema.avro.VmmReportState(
                            v.vmmId().toString(),
                            v.gen(),
                            dev.v2pledger.schema.avro.VmmState.valueOf(v.state().name())))
                .toList())
        .build();
  }

  static InstanceState fromAvro(InstanceStateRecord record) {
    dev.v2pledger.schema.avro.OpenMigration migration = record.getMigration();
    return new InstanceState(
        Fields.parse("instance_id", record.getInstanceId(), InstanceId::parse),
        Fields.nonNegative("location_gen", record.getLocationGen()),
        record.getDeleted(),
        record.getNics().stream().map(InstanceStateCodec::nicFromAvro).toList(),
        placedFromAvro(record.getActiveVmm()),
        migration == null
            ? null
            : new OpenMigration(
                Fields.parse(
                    "migration.migration_id", migration.getMigrationId(), MigrationId::parse),
                Fields.parse("migration.source_vmm_id", migration.getSourceVmmId(), VmmId::parse),
                placedFromAvro(migration.getTarget()),
                optionalGen("migration.source_gen", migration.getSourceGen()),
                optionalGen("migration.target_gen", migration.getTargetGen())),
        record.getBufferedReports().stream().map(InstanceStateCodec::reportFromAvro).toList(),
        record.getRecentVmmIds().stream()
            .map(id -> Fields.parse("recent_vmm_ids", id, VmmId::parse))
            .toList(),
        record.getResolvedMigrations().stream()
            .map(
                r ->
                    new ResolvedMigration(
                        Fields.parse("resolved_migrations", r.getMigrationId(), MigrationId::parse),
                        MigrationOutcome.valueOf(r.getOutcome().name())))
            .toList(),
        record.getVmms().stream()
            .map(
                v ->
                    new VmmReport(
                        Fields.parse("vmms", v.getVmmId(), VmmId::parse),
                        Fields.nonNegative("vmms.gen", v.getGen()),
                        VmmState.valueOf(v.getState().name())))
            .toList());
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

  /** Generations are never negative; a negative one is a corrupt changelog, refused here. */
  private static @Nullable Long optionalGen(String field, @Nullable Long gen) {
    return gen == null ? null : Fields.nonNegative(field, gen);
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
