package dev.v2pledger.schema.domain;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The fact an {@link InstanceEvent} carries: one of the seven payloads of DESIGN. */
public sealed interface EventPayload {

  /** The kind of this payload, which names its record. */
  default EventType type() {
    return EventType.of(this);
  }

  /** The instance owns these (vni, ip) pairs through this NIC, allocated at {@code ipEpoch}. */
  record NicAttached(NicId nicId, Vni vni, MacAddr mac, List<IpAddr> ips, long ipEpoch)
      implements EventPayload {
    /** More addresses than any NIC has; bounds the state a single event can create. */
    public static final int MAX_IPS = 256;

    public NicAttached {
      Values.required(nicId, "nic_id");
      Values.required(vni, "vni");
      Values.required(mac, "mac");
      Values.nonNegative(ipEpoch, "ip_epoch");
      ips = List.copyOf(Values.required(ips, "ips"));
      if (ips.isEmpty()) {
        throw new IllegalArgumentException("ips is empty: a NIC has at least one IP");
      }
      if (ips.size() > MAX_IPS) {
        throw new IllegalArgumentException(
            "ips has " + ips.size() + " addresses, more than " + MAX_IPS);
      }
      Set<IpAddr> seen = new HashSet<>();
      for (IpAddr ip : ips) {
        Ipv6Addr.requireNotIpv4Mapped(ip, "ips:");
        if (!seen.add(ip)) {
          throw new IllegalArgumentException("ips lists " + ip + " twice");
        }
      }
    }

    /** The (vni, ip) pairs of this NIC, each keyed with the NIC's epoch. */
    public List<MappingKey> keys() {
      return ips.stream().map(ip -> new MappingKey(vni, ip, ipEpoch)).toList();
    }
  }

  /** The NIC and its (vni, ip) pairs go away. */
  record NicDetached(NicId nicId) implements EventPayload {
    public NicDetached {
      Values.required(nicId, "nic_id");
    }
  }

  /** Instance start: this VMM, on this sled, is now the active one. */
  record VmmPlaced(VmmId vmmId, SledId sledId, Ipv6Addr sledUnderlayIp) implements EventPayload {
    public VmmPlaced {
      Values.required(vmmId, "vmm_id");
      Values.required(sledId, "sled_id");
      Values.required(sledUnderlayIp, "sled_underlay_ip");
      Ipv6Addr.requireNotIpv4Mapped(sledUnderlayIp, "sled_underlay_ip");
    }
  }

  /** A live migration was requested; the location does not change yet. */
  record MigrationStarted(
      MigrationId migrationId,
      VmmId sourceVmmId,
      VmmId targetVmmId,
      SledId targetSledId,
      Ipv6Addr targetSledUnderlayIp)
      implements EventPayload {
    public MigrationStarted {
      Values.required(migrationId, "migration_id");
      Values.required(sourceVmmId, "source_vmm_id");
      Values.required(targetVmmId, "target_vmm_id");
      Values.required(targetSledId, "target_sled_id");
      Values.required(targetSledUnderlayIp, "target_sled_underlay_ip");
      Ipv6Addr.requireNotIpv4Mapped(targetSledUnderlayIp, "target_sled_underlay_ip");
      if (sourceVmmId.equals(targetVmmId)) {
        throw new IllegalArgumentException(
            "source_vmm_id and target_vmm_id are the same VMM " + sourceVmmId);
      }
    }
  }

  /** One side's report on a migration, with that side's generation. */
  record MigrationReported(
      MigrationId migrationId, MigrationSide side, MigrationState state, long gen)
      implements EventPayload {
    public MigrationReported {
      Values.required(migrationId, "migration_id");
      Values.required(side, "side");
      Values.required(state, "state");
      Values.nonNegative(gen, "gen");
    }
  }

  /** A VMM's lifecycle report, with the VMM's generation. */
  record VmmReported(VmmId vmmId, VmmState state, long gen) implements EventPayload {
    public VmmReported {
      Values.required(vmmId, "vmm_id");
      Values.required(state, "state");
      Values.nonNegative(gen, "gen");
    }
  }

  /** Everything of this instance goes away. */
  record InstanceDeleted() implements EventPayload {}
}
