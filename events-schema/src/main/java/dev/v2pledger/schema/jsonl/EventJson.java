package dev.v2pledger.schema.jsonl;

import dev.v2pledger.schema.codec.Fields;
import dev.v2pledger.schema.codec.InvalidFieldException;
import dev.v2pledger.schema.domain.EventId;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPayload.InstanceDeleted;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.NicDetached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.EventPayload.VmmReported;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.EventType;
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
import dev.v2pledger.schema.domain.Values;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.domain.Vni;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Maps one JSON object (a parsed line) to a domain event, naming the field of any mistake. */
final class EventJson {
  static final Set<String> COMMON_FIELDS =
      Set.of(
          "type", "instance_id", "event_id", "occurred_at", "source", "instance_gen", "position");

  /** Payload fields per type, in schema order (the order the writer uses). */
  static final Map<EventType, List<String>> PAYLOAD_FIELDS =
      Map.of(
          EventType.NicAttached, List.of("nic_id", "vni", "mac", "ips", "ip_epoch"),
          EventType.NicDetached, List.of("nic_id"),
          EventType.VmmPlaced, List.of("vmm_id", "sled_id", "sled_underlay_ip"),
          EventType.MigrationStarted,
              List.of(
                  "migration_id",
                  "source_vmm_id",
                  "target_vmm_id",
                  "target_sled_id",
                  "target_sled_underlay_ip"),
          EventType.MigrationReported, List.of("migration_id", "side", "state", "gen"),
          EventType.VmmReported, List.of("vmm_id", "state", "gen"),
          EventType.InstanceDeleted, List.of());

  private EventJson() {}

  /** The event of {@code node}; throws {@link InvalidFieldException} naming the field. */
  static InstanceEvent event(FlatJson node) {
    EventType type = Fields.parse("type", text(node, "type"), EventType::parse);
    checkFieldNames(node, type);
    String eventId = optionalText(node, "event_id");
    String occurredAt = optionalText(node, "occurred_at");
    String source = optionalText(node, "source");
    InstanceId instance = Fields.parse("instance_id", text(node, "instance_id"), InstanceId::parse);
    EventPayload payload = payload(type, node);
    Long gen = instanceGen(node, payload);
    return Fields.build(
        "source",
        () ->
            new InstanceEvent(
                eventId == null ? null : Fields.parse("event_id", eventId, EventId::parse),
                instance,
                occurredAt == null ? null : occurredAt(occurredAt),
                source,
                payload,
                gen));
  }

  private static @Nullable Long instanceGen(FlatJson node, EventPayload payload) {
    Object value = node.get("instance_gen");
    if (value == null || value == FlatJson.NULL) {
      return null;
    }
    long gen = integer(node, "instance_gen", "instance_gen", Long.MAX_VALUE);
    return Fields.build(
        "instance_gen",
        () -> {
          InstanceEvent.checkInstanceGen(gen, payload);
          return gen;
        });
  }

  private static final List<String> POSITION_FIELDS = List.of("partition", "offset", "timestamp");

  /** The optional {@code position} object of an export, or null. */
  static @Nullable EventPosition position(FlatJson node) {
    Object value = node.get("position");
    if (value == null || value == FlatJson.NULL) {
      return null;
    }
    if (!(value instanceof FlatJson position)) {
      throw new InvalidFieldException("position", "is not an object");
    }
    for (String name : position.names()) { // a misspelt field is refused, as at the top level
      if (!POSITION_FIELDS.contains(name)) {
        throw new InvalidFieldException("position." + name, "is not a field of position");
      }
    }
    int partition = (int) integer(position, "partition", "position.partition", Integer.MAX_VALUE);
    long offset = integer(position, "offset", "position.offset", Long.MAX_VALUE);
    Instant timestamp =
        instant("position.timestamp", text(position, "timestamp", "position.timestamp"));
    return Fields.build(
        "position.timestamp", () -> new EventPosition(partition, offset, timestamp));
  }

  private static void checkFieldNames(FlatJson node, EventType type) {
    List<String> payloadFields = PAYLOAD_FIELDS.get(type);
    for (String name : node.names()) {
      if (!COMMON_FIELDS.contains(name) && !payloadFields.contains(name)) {
        throw new InvalidFieldException(name, "is not a field of " + type);
      }
    }
  }

  private static EventPayload payload(EventType type, FlatJson node) {
    return switch (type) {
      case NicAttached -> nicAttached(node);
      case NicDetached -> new NicDetached(id(node, "nic_id", NicId::parse));
      case VmmPlaced ->
          new VmmPlaced(
              id(node, "vmm_id", VmmId::parse),
              id(node, "sled_id", SledId::parse),
              id(node, "sled_underlay_ip", Ipv6Addr::parse));
      case MigrationStarted -> migrationStarted(node);
      case MigrationReported ->
          new MigrationReported(
              id(node, "migration_id", MigrationId::parse),
              id(node, "side", s -> enumValue(MigrationSide.class, s)),
              id(node, "state", s -> enumValue(MigrationState.class, s)),
              integer(node, "gen", "gen", Long.MAX_VALUE));
      case VmmReported ->
          new VmmReported(
              id(node, "vmm_id", VmmId::parse),
              id(node, "state", s -> enumValue(VmmState.class, s)),
              integer(node, "gen", "gen", Long.MAX_VALUE));
      case InstanceDeleted -> new InstanceDeleted();
    };
  }

  private static NicAttached nicAttached(FlatJson node) {
    NicId nic = id(node, "nic_id", NicId::parse);
    Vni vni = Fields.build("vni", () -> new Vni((int) integer(node, "vni", "vni", Vni.MAX)));
    MacAddr mac = id(node, "mac", MacAddr::parse);
    List<IpAddr> ips = ips(node);
    long epoch = integer(node, "ip_epoch", "ip_epoch", Long.MAX_VALUE);
    return Fields.build("ips", () -> new NicAttached(nic, vni, mac, ips, epoch));
  }

  private static MigrationStarted migrationStarted(FlatJson node) {
    MigrationId migration = id(node, "migration_id", MigrationId::parse);
    VmmId source = id(node, "source_vmm_id", VmmId::parse);
    VmmId target = id(node, "target_vmm_id", VmmId::parse);
    SledId sled = id(node, "target_sled_id", SledId::parse);
    Ipv6Addr underlay = id(node, "target_sled_underlay_ip", Ipv6Addr::parse);
    return Fields.build(
        "target_vmm_id", () -> new MigrationStarted(migration, source, target, sled, underlay));
  }

  private static List<IpAddr> ips(FlatJson node) {
    Object value = node.get("ips");
    if (value == null || value == FlatJson.NULL) {
      throw new InvalidFieldException("ips", "is missing");
    }
    if (!(value instanceof List<?> array)) {
      throw new InvalidFieldException("ips", "is not an array of IP addresses");
    }
    List<IpAddr> ips = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      String field = "ips[" + i + "]";
      if (!(array.get(i) instanceof String item)) {
        throw new InvalidFieldException(field, "is not a string");
      }
      ips.add(Fields.parse(field, item, IpAddr::parse));
    }
    return ips;
  }

  private static <T> T id(FlatJson node, String field, Function<String, T> parser) {
    return Fields.parse(field, text(node, field), parser);
  }

  private static String text(FlatJson node, String field) {
    return text(node, field, field);
  }

  private static String text(FlatJson node, String name, String field) {
    Object value = node.get(name);
    if (value == null || value == FlatJson.NULL) {
      throw new InvalidFieldException(field, "is missing");
    }
    if (!(value instanceof String text)) {
      throw new InvalidFieldException(field, "is not a string");
    }
    return text;
  }

  private static @Nullable String optionalText(FlatJson node, String field) {
    Object value = node.get(field);
    if (value == null || value == FlatJson.NULL) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new InvalidFieldException(field, "is not a string");
    }
    return text;
  }

  private static long integer(FlatJson node, String name, String field, long max) {
    Object value = node.get(name);
    if (value == null || value == FlatJson.NULL) {
      throw new InvalidFieldException(field, "is missing");
    }
    if (value instanceof Long integral && integral >= 0 && integral <= max) {
      return integral; // the common case, without a BigDecimal
    }
    BigDecimal number = number(value);
    if (number == null) {
      throw new InvalidFieldException(field, "'" + FlatJson.show(value) + "' is not an integer");
    }
    if (number.signum() < 0 || number.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new InvalidFieldException(field, value + " is out of range 0.." + max);
    }
    return number.longValueExact();
  }

  /**
   * The integer {@code value} is, or null when it is not a number or has a fraction: JSON has one
   * kind of number, so {@code 7777}, {@code 7777.0} and {@code 7.777e3} are one integer.
   */
  private static @Nullable BigDecimal number(Object value) {
    if (value instanceof Long integral) {
      return BigDecimal.valueOf(integral);
    }
    if (value instanceof BigInteger integral) {
      return new BigDecimal(integral);
    }
    if (value instanceof BigDecimal decimal) {
      BigDecimal stripped = decimal.stripTrailingZeros(); // cheap for 1e999999999 too
      return decimal.signum() == 0 ? BigDecimal.ZERO : stripped.scale() <= 0 ? stripped : null;
    }
    return null;
  }

  /** An {@code occurred_at} the schema holds ({@link InstanceEvent#schemaTime}), named if not. */
  private static Instant occurredAt(String text) {
    Instant at = instant("occurred_at", text);
    return Fields.build("occurred_at", () -> InstanceEvent.schemaTime(at));
  }

  private static Instant instant(String field, String text) {
    try {
      return Rfc3339.parse(text);
    } catch (DateTimeParseException e) {
      throw new InvalidFieldException(
          field,
          "'" + Values.abbreviate(text) + "' is not an RFC 3339 time (e.g. 2026-11-23T20:15:00Z)");
    }
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String text) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(text)) {
        return constant;
      }
    }
    throw new IllegalArgumentException(
        "'"
            + Values.abbreviate(text)
            + "' is not one of "
            + Arrays.toString(type.getEnumConstants()));
  }
}
