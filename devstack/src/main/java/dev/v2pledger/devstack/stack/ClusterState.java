package dev.v2pledger.devstack.stack;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.devstack.workload.Script;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.runtime.kafka.ProjectedTopic;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a shared cluster held before a run, read from {@code v2p.mappings} with the appliers' table
 * rule: the mappings in force (every sled holds them and must keep them), the highest {@code
 * ip_epoch} (the run allocates above it, as Nexus's counter would) and the VNIs in use (the run's
 * VPCs avoid them).
 */
public record ClusterState(Map<Vip, XdeMapping> inForce, long maxEpoch, Set<Vni> vnis) {
  public static final ClusterState EMPTY = new ClusterState(Map.of(), 0, Set.of());

  public ClusterState {
    inForce = Map.copyOf(inForce);
    vnis = Set.copyOf(vnis);
  }

  /** What the cluster holds once {@code script} (a warm-up) has run on it too. */
  public ClusterState after(Script script) {
    Set<Vni> all = new HashSet<>(vnis);
    all.addAll(script.vnis());
    return new ClusterState(inForce, Math.max(maxEpoch, script.maxEpoch()), all);
  }

  public static ClusterState read(Map<String, Object> kafka, Duration timeout) {
    MappingTable table =
        ProjectedTopic.read(new KafkaAccess(kafka, timeout), key -> false, false).live();
    Map<Vip, XdeMapping> inForce = new HashMap<>();
    long maxEpoch = 0;
    Set<Vni> vnis = new HashSet<>();
    for (V2PMapping record : table.newestRecords()) {
      Vip vip = record.vip();
      maxEpoch = Math.max(maxEpoch, record.ipEpoch());
      vnis.add(vip.vni());
      if (record.isSet()) {
        V2PTarget target = Objects.requireNonNull(record.target());
        inForce.put(vip, new XdeMapping(vip, target.mac(), target.underlayIp()));
      }
    }
    return new ClusterState(inForce, maxEpoch, vnis);
  }
}
