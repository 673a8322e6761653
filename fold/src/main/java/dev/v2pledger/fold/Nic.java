package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.Vni;
import java.util.List;

/** An attached NIC: its (vni, ip) pairs, allocated at {@code ipEpoch}, and its MAC. */
public record Nic(NicId nicId, Vni vni, MacAddr mac, List<IpAddr> ips, long ipEpoch) {
  public Nic {
    ips = List.copyOf(ips);
  }

  public static Nic of(NicAttached attached) {
    return new Nic(
        attached.nicId(), attached.vni(), attached.mac(), attached.ips(), attached.ipEpoch());
  }

  public List<MappingKey> keys() {
    MappingKey[] keys = new MappingKey[ips.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new MappingKey(vni, ips.get(i), ipEpoch);
    }
    return List.of(keys);
  }
}
