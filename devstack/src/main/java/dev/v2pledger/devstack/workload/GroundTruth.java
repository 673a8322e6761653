package dev.v2pledger.devstack.workload;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.devstack.workload.Step.CreatePort;
import dev.v2pledger.devstack.workload.Step.DestroyPort;
import dev.v2pledger.devstack.workload.Step.Trigger;
import dev.v2pledger.devstack.workload.Step.Truth;
import dev.v2pledger.devstack.workload.Step.TruthChange;
import dev.v2pledger.devstack.workload.World.Inst;
import dev.v2pledger.devstack.workload.World.Vmm;
import dev.v2pledger.schema.domain.Ipv4Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The rack's side of the {@link Generator}'s world, as script steps: the XDE ports the sleds create
 * and destroy (each batch followed by a reconcile trigger), and the ground truth of where every VIP
 * really is, kept as it changes and recorded as {@link TruthChange}s.
 */
final class GroundTruth {
  private final List<SledSpec> sleds;
  private final List<Step> steps;
  private final Map<Vip, XdeMapping> truth = new HashMap<>();
  private long portOps;

  /** Truth about {@code sleds}, whose steps are added to {@code steps}. */
  GroundTruth(List<SledSpec> sleds, List<Step> steps) {
    this.sleds = sleds;
    this.steps = steps;
  }

  /** Each sled has a service zone's port in VNI 100, which nobody may touch. */
  void servicesPorts(Supplier<MacAddr> macs) {
    for (SledSpec sled : sleds) {
      Vip vip = new Vip(Vni.SERVICES, Ipv4Addr.parse("172.31.255." + (1 + sled.index() % 250)));
      steps.add(new CreatePort(sled.index(), vip, macs.get()));
      portOps++;
    }
  }

  /** XDE on {@code sled} creates a port for every VIP of {@code inst}. */
  void createPorts(Inst inst, int sled) {
    for (Vip vip : inst.vips()) {
      steps.add(new CreatePort(sled, vip, inst.macOf(vip)));
      portOps++;
    }
    steps.add(new Trigger(sled));
  }

  /** XDE on {@code sled} destroys the port of every VIP of {@code inst}. */
  void destroyPorts(Inst inst, int sled) {
    for (Vip vip : inst.vips()) {
      steps.add(new DestroyPort(sled, vip));
      portOps++;
    }
    steps.add(new Trigger(sled));
  }

  /**
   * The instance now really runs on {@code vmm}'s sled; Nexus commits it now, or later with the
   * same entries (a migration's outcome is committed when Nexus hears of it).
   */
  void locate(Inst inst, Vmm vmm, boolean committed) {
    List<Truth> entries = entries(inst, vmm);
    entries.forEach(entry -> truth.put(entry.vip(), entry.expected()));
    steps.add(new TruthChange(entries, committed));
  }

  /** Where every VIP of {@code inst} is when it runs in {@code vmm}. */
  List<Truth> entries(Inst inst, Vmm vmm) {
    List<Truth> entries = new ArrayList<>();
    SledSpec on = sleds.get(vmm.sled);
    for (Vip vip : inst.vips()) {
      entries.add(new Truth(vip, new XdeMapping(vip, inst.macOf(vip), on.underlay())));
    }
    return entries;
  }

  /** The instance no longer runs anywhere. */
  void unlocate(Inst inst) {
    List<Truth> entries = new ArrayList<>();
    for (Vip vip : inst.vips()) {
      truth.remove(vip);
      entries.add(new Truth(vip, null));
    }
    steps.add(new TruthChange(entries, true));
  }

  /** Nexus commits {@code entries} and activates its task (none: it only activates its task). */
  void commit(List<Truth> entries) {
    steps.add(new TruthChange(entries, true));
  }

  /** Where every VIP really is now (absent: nowhere). */
  Map<Vip, XdeMapping> truth() {
    return truth;
  }

  /** How many ports were created and destroyed. */
  long portOps() {
    return portOps;
  }
}
