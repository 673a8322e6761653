package dev.v2pledger.applier.flows;

import dev.v2pledger.applier.reconcile.Desired;
import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vni;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The VNI of each port, which {@code ListPorts} does not say: the VNIs in which the desired table
 * has an entry in force with the port's MAC and one of its private addresses (one, unless two VPCs
 * give a NIC the same MAC and IP). Excluded VNIs are never a port's: the applier does not touch
 * them. A port found is remembered by name until its MAC or addresses change, it is gone, or a VIP
 * of the desired table takes the port's MAC where it did not have it ({@link Desired#macsTaken}:
 * the port's own VPC's record may come after another VPC's with the same MAC and IP). One not found
 * (empty) is remembered the same way: only a record that takes its MAC can give it a VNI, so a
 * service zone's port costs one lookup per VNI once, not at every flush.
 */
final class PortVnis {
  private record Known(PortInfo port, Set<Vni> vnis) {}

  private final Desired desired;
  private final Map<String, Known> byName = new HashMap<>();

  /** {@link Desired#macsTaken} when the ports remembered were last checked against it. */
  private long macsSeen;

  PortVnis(Desired desired) {
    this.desired = desired;
  }

  /** The port's VNIs; empty when the desired table does not know its MAC and address. */
  Set<Vni> of(PortInfo port) {
    forgetMacsTaken();
    Known known = byName.get(port.name());
    if (known != null && known.port().nic().equals(port.nic())) {
      return known.vnis();
    }
    Set<Vni> vnis = new TreeSet<>();
    port.ip4().ifPresent(ip -> vnis.addAll(desired.vnisOf(port.mac(), ip)));
    port.ip6().ifPresent(ip -> vnis.addAll(desired.vnisOf(port.mac(), ip)));
    vnis.removeAll(desired.excludedVnis());
    Set<Vni> found = Set.copyOf(vnis);
    byName.put(port.name(), new Known(port, found));
    return found;
  }

  /** How many MACs records have taken: a port with one of them may be in a VNI more now. */
  long macsTaken() {
    return desired.macsTaken();
  }

  /** Forgets the ports not in {@code names}. */
  void retain(Collection<String> names) {
    byName.keySet().retainAll(names);
  }

  /**
   * Forgets the ports whose MAC a VIP took since the last look (every port, when more were taken
   * than the table remembers): they may be in a VNI more now.
   */
  private void forgetMacsTaken() {
    long now = desired.macsTaken();
    if (now == macsSeen) {
      return;
    }
    Set<MacAddr> taken = desired.macsTakenSince(macsSeen);
    if (taken == null) {
      byName.clear();
    } else {
      byName.values().removeIf(known -> taken.contains(known.port().mac()));
    }
    macsSeen = now;
  }
}
