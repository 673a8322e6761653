package dev.v2pledger.devstack.workload;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A workload ready to play: the sleds it uses, its steps in order, and the ground truth at its end.
 *
 * @param finalTruth where every VIP of the workload really is at the end (absent: nowhere)
 * @param finalLocations the sled (index) of every live instance that has a VMM at the end
 * @param counts what the workload did
 * @param maxEpoch the highest {@code ip_epoch} it allocated (a later script allocates above)
 * @param vnis the VPCs it used (a later script avoids them)
 */
public record Script(
    List<SledSpec> sleds,
    List<Step> steps,
    Map<Vip, XdeMapping> finalTruth,
    Map<InstanceId, Integer> finalLocations,
    Counts counts,
    long maxEpoch,
    Set<Vni> vnis) {

  public Script {
    sleds = List.copyOf(sleds);
    steps = List.copyOf(steps);
    finalTruth = Map.copyOf(finalTruth);
    finalLocations = Map.copyOf(finalLocations);
    vnis = Set.copyOf(vnis);
  }

  /** What a workload did, for the report. */
  public record Counts(
      long events,
      long instances,
      long starts,
      long migrations,
      long migrationsFailed,
      long lostAfterHandoff,
      long stops,
      long crashes,
      long deletes,
      long nicsReplaced,
      long ipReuses,
      long duplicates,
      long stale,
      long reordered,
      long lateRedeliveries,
      long portOps) {}

  public long events() {
    return counts.events;
  }
}
