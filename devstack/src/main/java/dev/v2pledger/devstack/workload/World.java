package dev.v2pledger.devstack.workload;

import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The things of the {@link Generator}'s simulated world: instances with their NICs and the VMM they
 * run in, and the operations in flight on them ({@link Actor}), each with the reports it has sent.
 */
final class World {
  private World() {}

  /** An instance of the simulated world. */
  static final class Inst {
    final InstanceId id;
    final Vni vni;
    final List<Nic> nics = new ArrayList<>();
    @Nullable Vmm active;
    boolean busy;
    long nexusGen;

    Inst(InstanceId id, Vni vni) {
      this.id = id;
      this.vni = vni;
    }

    List<Vip> vips() {
      List<Vip> out = new ArrayList<>();
      nics.forEach(nic -> nic.ips().forEach(ip -> out.add(new Vip(nic.vni(), ip))));
      return out;
    }

    MacAddr macOf(Vip vip) {
      for (Nic nic : nics) {
        if (nic.vni().equals(vip.vni()) && nic.ips().contains(vip.ip())) {
          return nic.mac();
        }
      }
      throw new IllegalStateException(vip + " is not a VIP of " + id);
    }
  }

  /** A VMM of an instance, on a sled, with the generation of its reports. */
  static final class Vmm {
    final VmmId id;
    final int sled;
    long gen;

    Vmm(VmmId id, int sled) {
      this.id = id;
      this.sled = sled;
    }
  }

  /**
   * A NIC of an instance: its VPC, MAC and IPs, and the {@code ip_epoch} they were allocated in.
   */
  record Nic(NicId id, Vni vni, MacAddr mac, List<IpAddr> ips, long epoch) {}

  /** An event as its publisher sent it. */
  record Sent(String publisher, InstanceEvent event) {}

  /** One operation on one instance in flight: what is left of it, run one action at a time. */
  static final class Actor {
    final Inst inst;
    final Deque<Runnable> actions = new ArrayDeque<>();
    final List<Sent> reports = new ArrayList<>();

    Actor(Inst inst) {
      this.inst = inst;
    }
  }
}
