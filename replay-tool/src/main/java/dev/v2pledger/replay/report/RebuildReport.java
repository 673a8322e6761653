package dev.v2pledger.replay.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.Migration;
import dev.v2pledger.fold.PlacedVmm;
import dev.v2pledger.replay.engine.Replayer;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The state at the end of a replay: instances and the V2P table, as aligned text or JSON. */
public final class RebuildReport {
  private RebuildReport() {}

  /**
   * Jackson's object mapper, created on the first JSON report only: a table does not pay for
   * loading Jackson's databind classes (a few hundred) when the tool starts cold.
   */
  private static final class Json {
    static final ObjectMapper MAPPER =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  /** Every instance, sorted by id as printed. */
  static List<Map.Entry<InstanceId, InstanceState>> instances(Replayer replayer) {
    List<Map.Entry<InstanceId, InstanceState>> instances =
        new ArrayList<>(replayer.states().entrySet());
    instances.sort(Comparator.comparing(Map.Entry::getKey, RebuildReport::textOrder));
    return instances;
  }

  /**
   * The order of the ids' lowercase text without printing them for every comparison: the text is
   * the UUID's 32 hex digits at fixed places, so it sorts as the two halves compared unsigned.
   */
  static int textOrder(InstanceId a, InstanceId b) {
    int high =
        Long.compareUnsigned(
            a.value().getMostSignificantBits(), b.value().getMostSignificantBits());
    return high != 0
        ? high
        : Long.compareUnsigned(
            a.value().getLeastSignificantBits(), b.value().getLeastSignificantBits());
  }

  /**
   * The newest record per (VNI, IP), SET only unless {@code includeCleared}, sorted by VNI then IP.
   */
  static List<V2PMapping> mappings(Replayer replayer, boolean includeCleared) {
    List<V2PMapping> out = new ArrayList<>();
    if (includeCleared) {
      out.addAll(replayer.table().newestByVip().values());
    } else {
      out.addAll(replayer.table().inForce().values());
    }
    return out;
  }

  public static String table(Replayer replayer, boolean includeCleared) {
    TextTable instances =
        new TextTable(
            "INSTANCE",
            "SLED",
            "UNDERLAY",
            "ACTIVE_VMM",
            "MIGRATION",
            "TARGET_SLED",
            "OUTCOME",
            "LOCATION_GEN",
            "STATE");
    for (Map.Entry<InstanceId, InstanceState> entry : instances(replayer)) {
      InstanceState state = entry.getValue();
      PlacedVmm active = state.location().vmm();
      Migration migration = state.migration();
      instances.row(
          entry.getKey(),
          active == null ? null : active.sledId(),
          active == null ? null : active.sledUnderlayIp(),
          active == null ? null : active.vmmId(),
          migration == null ? null : migration.migrationId(),
          migration == null ? null : migration.target().sledId(),
          migration == null
              ? null
              : state.outcome(migration.migrationId()).name().toLowerCase(Locale.ROOT),
          state.locationGen(),
          state.deleted() ? "deleted" : active == null ? "stopped" : "running");
    }
    TextTable mappings =
        new TextTable(
            "VNI",
            "IP",
            "MAC",
            "UNDERLAY",
            "SLED",
            "INSTANCE",
            "NIC",
            "IP_EPOCH",
            "LOCATION_GEN",
            "STATE");
    for (V2PMapping m : mappings(replayer, includeCleared)) {
      V2PTarget target = m.target();
      mappings.row(
          m.vip().vni(),
          m.vip().ip(),
          target == null ? null : target.mac(),
          target == null ? null : target.underlayIp(),
          target == null ? null : target.sledId(),
          m.instanceId(),
          m.nicId(),
          m.ipEpoch(),
          m.locationGen(),
          m.state());
    }
    return "instances: "
        + instances.size()
        + "\n"
        + instances
        + "\nmappings: "
        + mappings.size()
        + "\n"
        + mappings;
  }

  public static String json(Replayer replayer, boolean includeCleared) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode instances = root.putArray("instances");
    for (Map.Entry<InstanceId, InstanceState> entry : instances(replayer)) {
      instances.add(instanceJson(entry.getKey(), entry.getValue()));
    }
    ArrayNode mappings = root.putArray("mappings");
    for (V2PMapping m : mappings(replayer, includeCleared)) {
      mappings.add(mappingJson(m, includeCleared));
    }
    try {
      return Json.MAPPER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static ObjectNode instanceJson(InstanceId id, InstanceState state) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("instance_id", id.toString());
    PlacedVmm active = state.location().vmm();
    node.put("sled_id", active == null ? null : active.sledId().toString());
    node.put("sled_underlay_ip", active == null ? null : active.sledUnderlayIp().toString());
    node.put("active_vmm_id", active == null ? null : active.vmmId().toString());
    Migration migration = state.migration();
    if (migration == null) {
      node.putNull("migration");
    } else {
      ObjectNode m = node.putObject("migration");
      m.put("migration_id", migration.migrationId().toString());
      m.put("source_vmm_id", migration.sourceVmmId().toString());
      m.put("target_vmm_id", migration.target().vmmId().toString());
      m.put("target_sled_id", migration.target().sledId().toString());
      m.put("outcome", state.outcome(migration.migrationId()).name());
    }
    node.put("location_gen", state.locationGen());
    node.put("deleted", state.deleted());
    return node;
  }

  static ObjectNode mappingJson(V2PMapping m, boolean withState) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    V2PTarget target = m.target();
    node.put("vni", m.vip().vni().value());
    node.put("ip", m.vip().ip().toString());
    node.put("mac", target == null ? null : target.mac().toString());
    node.put("underlay_ip", target == null ? null : target.underlayIp().toString());
    node.put("sled_id", target == null ? null : target.sledId().toString());
    node.put("instance_id", m.instanceId().toString());
    node.put("nic_id", m.nicId().toString());
    node.put("ip_epoch", m.ipEpoch());
    node.put("location_gen", m.locationGen());
    if (withState) {
      node.put("state", m.state().name());
    }
    return node;
  }
}
