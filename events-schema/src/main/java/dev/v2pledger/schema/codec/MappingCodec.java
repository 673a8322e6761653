package dev.v2pledger.schema.codec;

import dev.v2pledger.schema.codec.RecordDecodeException.Reason;
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
public final class MappingCodec implements RecordCodec<ProjectedMapping> {
  private final AvroRecordCodec<dev.v2pledger.schema.avro.V2PMapping> avro =
      AvroRecordCodec.forSchema(dev.v2pledger.schema.avro.V2PMapping.getClassSchema());

  @Override
  public byte[] encode(ProjectedMapping value) {
    return avro.encode(toAvro(value));
  }

  @Override
  public ProjectedMapping decode(byte[] bytes, RecordOrigin origin) {
    dev.v2pledger.schema.avro.V2PMapping record = avro.decode(bytes, origin);
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

  public static dev.v2pledger.schema.avro.V2PMapping toAvro(ProjectedMapping projected) {
    V2PMapping mapping = projected.mapping();
    V2PTarget target = mapping.target();
    EventPosition cause = projected.cause();
    return dev.v2pledger.schema.avro.V2PMapping.newBuilder()
        .setVni(mapping.key().vni().value())
        .setIp(mapping.key().ip().toString())
        .setIpEpoch(mapping.key().ipEpoch())
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
