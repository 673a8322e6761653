package dev.v2pledger.schema.codec;

import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.MappingState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.Vni;

/**
 * {@link ProjectedMapping} as Avro single-object bytes: the value format of {@code v2p.mappings}.
 */
public final class MappingCodec
    extends DomainCodec<dev.v2pledger.schema.avro.V2PMapping, ProjectedMapping> {

  public MappingCodec() {
    this(SchemaSource.none());
  }

  /** A codec that also reads the compatible writer schemas {@code source} knows. */
  public MappingCodec(SchemaSource source) {
    super(
        dev.v2pledger.schema.avro.V2PMapping.getClassSchema(),
        source,
        MappingCodec::toAvro,
        MappingCodec::fromAvro);
  }

  public static dev.v2pledger.schema.avro.V2PMapping toAvro(ProjectedMapping projected) {
    V2PMapping mapping = projected.mapping();
    V2PTarget target = mapping.target();
    EventPosition cause = projected.cause();
    return dev.v2pledger.schema.avro.V2PMapping.newBuilder()
        .setVni(mapping.vip().vni().value())
        .setIp(mapping.vip().ip().toString())
        .setIpEpoch(mapping.ipEpoch())
        .setLocationGen(mapping.locationGen())
        .setState(dev.v2pledger.schema.avro.MappingState.valueOf(mapping.state().name()))
        .setMac(target == null ? null : target.mac().toString())
        .setUnderlayIp(target == null ? null : target.underlayIp().toString())
        .setSledId(target == null ? null : target.sledId().toString())
        .setInstanceId(mapping.instanceId().toString())
        .setNicId(mapping.nicId().toString())
        .setCause(
            new dev.v2pledger.schema.avro.EventPosition(
                cause.partition(), cause.offset(), cause.timestamp()))
        .build();
  }

  public static ProjectedMapping fromAvro(dev.v2pledger.schema.avro.V2PMapping record) {
    Vni vni = Fields.build("vni", () -> new Vni(record.getVni()));
    IpAddr ip = Fields.parse("ip", record.getIp(), IpAddr::parse);
    long epoch = Fields.nonNegative("ip_epoch", record.getIpEpoch());
    MappingState state = MappingState.valueOf(record.getState().name());
    V2PTarget target = null;
    if (state == MappingState.SET) {
      target =
          new V2PTarget(
              Fields.parse("mac", record.getMac(), MacAddr::parse),
              Fields.parse("underlay_ip", record.getUnderlayIp(), Ipv6Addr::parse),
              Fields.parse("sled_id", record.getSledId(), SledId::parse));
    }
    V2PMapping mapping =
        new V2PMapping(
            new MappingKey(vni, ip, epoch),
            state,
            target,
            Fields.parse("instance_id", record.getInstanceId(), InstanceId::parse),
            Fields.parse("nic_id", record.getNicId(), NicId::parse),
            Fields.nonNegative("location_gen", record.getLocationGen()));
    dev.v2pledger.schema.avro.EventPosition cause = record.getCause();
    EventPosition position =
        Fields.build(
            "cause",
            () -> new EventPosition(cause.getPartition(), cause.getOffset(), cause.getTimestamp()));
    return new ProjectedMapping(mapping, position);
  }
}
