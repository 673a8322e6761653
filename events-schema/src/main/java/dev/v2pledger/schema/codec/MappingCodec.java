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

  /** The domain state of each Avro symbol, by its ordinal (null: none of that name). */
  private static final MappingState[] STATES = states();

  /** The underlay addresses parsed, by text: one per sled, repeated by millions of records. */
  private static final ParsedTexts<Ipv6Addr> UNDERLAYS = new ParsedTexts<>(1024, Ipv6Addr::parse);

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
    MappingState state = state(record.getState());
    V2PTarget target = null;
    if (state == MappingState.SET) {
      target =
          new V2PTarget(
              Fields.parse("mac", record.getMac(), MacAddr::parse),
              Fields.parse("underlay_ip", record.getUnderlayIp(), MappingCodec::underlay),
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

  /** As {@code MappingState.valueOf(symbol.name())}, without looking the name up. */
  private static MappingState state(dev.v2pledger.schema.avro.MappingState symbol) {
    MappingState state = STATES[symbol.ordinal()];
    return state != null ? state : MappingState.valueOf(symbol.name()); // throws, naming it
  }

  private static MappingState[] states() {
    var symbols = dev.v2pledger.schema.avro.MappingState.values();
    MappingState[] states = new MappingState[symbols.length];
    for (var symbol : symbols) {
      for (MappingState state : MappingState.values()) {
        if (state.name().equals(symbol.name())) {
          states[symbol.ordinal()] = state;
        }
      }
    }
    return states;
  }

  /**
   * {@code text} as an underlay address, parsed once per distinct text; a copy each time, so that
   * every record holds its own value, as when each was parsed (sharing is its reader's choice).
   */
  private static Ipv6Addr underlay(String text) {
    Ipv6Addr parsed = UNDERLAYS.parse(text);
    return new Ipv6Addr(parsed.high(), parsed.low());
  }
}
