package dev.v2pledger.schema.codec;

import dev.v2pledger.schema.domain.EventId;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPayload.InstanceDeleted;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.NicDetached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.EventPayload.VmmReported;
import dev.v2pledger.schema.domain.InstanceEvent;
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
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@link InstanceEvent} as Avro single-object bytes: the value format of {@code v2p.events}. */
public final class EventCodec
    extends DomainCodec<dev.v2pledger.schema.avro.InstanceEvent, InstanceEvent> {

  public EventCodec() {
    this(SchemaSource.none());
  }

  /** A codec that also reads the compatible writer schemas {@code source} knows. */
  public EventCodec(SchemaSource source) {
    super(
        dev.v2pledger.schema.avro.InstanceEvent.getClassSchema(),
        source,
        EventCodec::toAvro,
        EventCodec::fromAvro);
  }

  /** The Avro form of a domain event. */
  public static dev.v2pledger.schema.avro.InstanceEvent toAvro(InstanceEvent event) {
    return dev.v2pledger.schema.avro.InstanceEvent.newBuilder()
        .setEventId(event.eventId() == null ? null : event.eventId().toString())
        .setInstanceId(event.instanceId().toString())
        .setOccurredAt(event.occurredAt())
        .setSource(event.source())
        .setPayload(payloadToAvro(event.payload()))
        .setInstanceGen(event.instanceGen())
        .build();
  }

  private static Object payloadToAvro(EventPayload payload) {
    if (payload instanceof NicAttached p) {
      return new dev.v2pledger.schema.avro.NicAttached(
          p.nicId().toString(),
          p.vni().value(),
          p.mac().toString(),
          p.ips().stream().map(IpAddr::toString).toList(),
          p.ipEpoch());
    }
    if (payload instanceof NicDetached p) {
      return new dev.v2pledger.schema.avro.NicDetached(p.nicId().toString());
    }
    if (payload instanceof VmmPlaced p) {
      return new dev.v2pledger.schema.avro.VmmPlaced(
          p.vmmId().toString(), p.sledId().toString(), p.sledUnderlayIp().toString());
    }
    if (payload instanceof MigrationStarted p) {
      return new dev.v2pledger.schema.avro.MigrationStarted(
          p.migrationId().toString(),
          p.sourceVmmId().toString(),
          p.targetVmmId().toString(),
          p.targetSledId().toString(),
          p.targetSledUnderlayIp().toString());
    }
    if (payload instanceof MigrationReported p) {
      return new dev.v2pledger.schema.avro.MigrationReported(
          p.migrationId().toString(),
          dev.v2pledger.schema.avro.MigrationSide.valueOf(p.side().name()),
          dev.v2pledger.schema.avro.MigrationState.valueOf(p.state().name()),
          p.gen());
    }
    if (payload instanceof VmmReported p) {
      return new dev.v2pledger.schema.avro.VmmReported(
          p.vmmId().toString(),
          dev.v2pledger.schema.avro.VmmState.valueOf(p.state().name()),
          p.gen());
    }
    if (payload instanceof InstanceDeleted) {
      return new dev.v2pledger.schema.avro.InstanceDeleted();
    }
    throw new IllegalStateException("unhandled payload " + payload.type());
  }

  /**
   * The domain event of an Avro record, canonicalizing ids and addresses.
   *
   * @throws InvalidFieldException naming the first field that breaks a rule
   */
  public static InstanceEvent fromAvro(dev.v2pledger.schema.avro.InstanceEvent record) {
    EventId eventId =
        record.getEventId() == null
            ? null
            : Fields.parse("event_id", record.getEventId(), EventId::parse);
    InstanceId instanceId = Fields.parse("instance_id", record.getInstanceId(), InstanceId::parse);
    EventPayload payload = payloadFromAvro(record.getPayload());
    Long gen = record.getInstanceGen();
    Fields.build("instance_gen", () -> checkedGen(gen, payload));
    return Fields.build(
        "source",
        () ->
            new InstanceEvent(
                eventId,
                instanceId,
                record.getOccurredAt(),
                record.getSource(),
                payload,
                record.getInstanceGen()));
  }

  private static EventPayload payloadFromAvro(Object payload) {
    if (payload instanceof dev.v2pledger.schema.avro.NicAttached p) {
      NicId nic = Fields.parse("nic_id", p.getNicId(), NicId::parse);
      Vni vni = Fields.build("vni", () -> new Vni(p.getVni()));
      MacAddr mac = Fields.parse("mac", p.getMac(), MacAddr::parse);
      List<IpAddr> ips = ips(p.getIps());
      long epoch = Fields.nonNegative("ip_epoch", p.getIpEpoch());
      return Fields.build("ips", () -> new NicAttached(nic, vni, mac, ips, epoch));
    }
    if (payload instanceof dev.v2pledger.schema.avro.NicDetached p) {
      return new NicDetached(Fields.parse("nic_id", p.getNicId(), NicId::parse));
    }
    if (payload instanceof dev.v2pledger.schema.avro.VmmPlaced p) {
      return new VmmPlaced(
          Fields.parse("vmm_id", p.getVmmId(), VmmId::parse),
          Fields.parse("sled_id", p.getSledId(), SledId::parse),
          Fields.parse("sled_underlay_ip", p.getSledUnderlayIp(), Ipv6Addr::parse));
    }
    if (payload instanceof dev.v2pledger.schema.avro.MigrationStarted p) {
      MigrationId migration = Fields.parse("migration_id", p.getMigrationId(), MigrationId::parse);
      VmmId source = Fields.parse("source_vmm_id", p.getSourceVmmId(), VmmId::parse);
      VmmId target = Fields.parse("target_vmm_id", p.getTargetVmmId(), VmmId::parse);
      SledId sled = Fields.parse("target_sled_id", p.getTargetSledId(), SledId::parse);
      Ipv6Addr underlay =
          Fields.parse("target_sled_underlay_ip", p.getTargetSledUnderlayIp(), Ipv6Addr::parse);
      return Fields.build(
          "target_vmm_id", () -> new MigrationStarted(migration, source, target, sled, underlay));
    }
    if (payload instanceof dev.v2pledger.schema.avro.MigrationReported p) {
      return new MigrationReported(
          Fields.parse("migration_id", p.getMigrationId(), MigrationId::parse),
          MigrationSide.valueOf(p.getSide().name()),
          MigrationState.valueOf(p.getState().name()),
          Fields.nonNegative("gen", p.getGen()));
    }
    if (payload instanceof dev.v2pledger.schema.avro.VmmReported p) {
      return new VmmReported(
          Fields.parse("vmm_id", p.getVmmId(), VmmId::parse),
          VmmState.valueOf(p.getState().name()),
          Fields.nonNegative("gen", p.getGen()));
    }
    if (payload instanceof dev.v2pledger.schema.avro.InstanceDeleted) {
      return new InstanceDeleted();
    }
    throw new InvalidFieldException(
        "payload", "unknown payload type " + payload.getClass().getSimpleName());
  }

  private static @Nullable Long checkedGen(@Nullable Long gen, EventPayload payload) {
    InstanceEvent.checkInstanceGen(gen, payload);
    return gen;
  }

  private static List<IpAddr> ips(List<String> texts) {
    List<IpAddr> ips = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      ips.add(Fields.parse("ips[" + i + "]", texts.get(i), IpAddr::parse));
    }
    return ips;
  }
}
