package dev.v2pledger.devstack.oracle;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.Vip;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An independent model of v2p-ledger's outcome: folds events in each instance's order (DESIGN's
 * fold rules, {@link InstanceModel}) and says what every sled's XDE table must hold: for each (VNI,
 * IP) the allocation with the highest {@code ip_epoch}, in force when the NIC that got it still has
 * it and its instance runs somewhere. Entries that a shared cluster held before the run (and this
 * run never re-allocates) are expected to stay. Not thread-safe.
 */
public final class Oracle {
  /** The newest allocation of a (VNI, IP): its epoch and owner. */
  private record Owner(long epoch, InstanceId instance, NicId nic) {}

  private final Map<InstanceId, InstanceModel> instances = new HashMap<>();
  private final Map<Vip, Owner> owners = new HashMap<>();
  private final Map<Vip, XdeMapping> preexisting;
  private final EnumMap<Decision, Long> decisions = new EnumMap<>(Decision.class);

  public Oracle() {
    this(Map.of());
  }

  /** An oracle for a run on a cluster whose sleds already hold {@code preexisting}. */
  public Oracle(Map<Vip, XdeMapping> preexisting) {
    this.preexisting = Map.copyOf(preexisting);
  }

  /** Folds one event, in its instance's order; returns what it made of it. */
  public Decision apply(InstanceEvent event) {
    InstanceModel model = instances.computeIfAbsent(event.instanceId(), id -> new InstanceModel());
    Decision decision = model.apply(event);
    if (decision == Decision.APPLIED && event.payload() instanceof NicAttached attached) {
      Owner owner = new Owner(attached.ipEpoch(), event.instanceId(), attached.nicId());
      for (IpAddr ip : attached.ips()) {
        owners.merge(
            new Vip(attached.vni(), ip),
            owner,
            (held, fresh) -> fresh.epoch > held.epoch ? fresh : held);
      }
    }
    decisions.merge(decision, 1L, Long::sum);
    return decision;
  }

  /** The table every sled must hold (VNI 100 aside), sorted by VIP. */
  public Map<Vip, XdeMapping> expected() {
    Map<Vip, XdeMapping> table = new TreeMap<>();
    preexisting.forEach(
        (vip, entry) -> {
          if (!owners.containsKey(vip)) {
            table.put(vip, entry);
          }
        });
    owners.forEach(
        (vip, owner) -> {
          XdeMapping entry = inForce(vip, owner);
          if (entry != null) {
            table.put(vip, entry);
          }
        });
    return table;
  }

  private @Nullable XdeMapping inForce(Vip vip, Owner owner) {
    InstanceModel model = instances.get(owner.instance);
    if (model == null || model.deleted()) {
      return null;
    }
    Placement placed = model.active();
    NicAttached nic = model.nic(owner.nic);
    if (placed == null
        || nic == null
        || nic.ipEpoch() != owner.epoch
        || !nic.vni().equals(vip.vni())
        || !nic.ips().contains(vip.ip())) {
      return null;
    }
    return new XdeMapping(vip, nic.mac(), placed.underlay());
  }

  /** Where the instance runs, or null (not running, deleted, never seen). */
  public @Nullable Placement location(InstanceId instance) {
    InstanceModel model = instances.get(instance);
    return model == null || model.deleted() ? null : model.active();
  }

  /** Every instance that runs somewhere. */
  public Map<InstanceId, Placement> locations() {
    Map<InstanceId, Placement> out = new HashMap<>();
    instances.forEach(
        (id, model) -> {
          Placement placed = model.deleted() ? null : model.active();
          if (placed != null) {
            out.put(id, placed);
          }
        });
    return out;
  }

  /** How many events got each decision. */
  public Map<Decision, Long> decisions() {
    return new EnumMap<>(decisions);
  }

  /** Reports dropped from full buffers, over all instances (the workload should cause none). */
  public long droppedReports() {
    return instances.values().stream().mapToLong(InstanceModel::dropped).sum();
  }
}
