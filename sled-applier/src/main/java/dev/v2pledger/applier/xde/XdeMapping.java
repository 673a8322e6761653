package dev.v2pledger.applier.xde;

import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vip;
import java.util.Objects;

/**
 * One entry of XDE's V2P table: the VIP {@code (vni, ip)} lives behind guest MAC {@code mac} on the
 * sled with underlay address {@code underlayIp} (OPTE's {@code PhysNet}).
 */
public record XdeMapping(Vip vip, MacAddr mac, Ipv6Addr underlayIp)
    implements Comparable<XdeMapping> {

  public XdeMapping {
    Objects.requireNonNull(vip, "vip");
    Objects.requireNonNull(mac, "mac");
    Objects.requireNonNull(underlayIp, "underlayIp");
  }

  /** Whether this entry sends traffic where {@code other} does (same MAC and underlay). */
  public boolean samePhys(XdeMapping other) {
    return mac.equals(other.mac) && underlayIp.equals(other.underlayIp);
  }

  /** By VIP: VNI, then IP. */
  @Override
  public int compareTo(XdeMapping other) {
    return vip.compareTo(other.vip);
  }

  @Override
  public String toString() {
    return vip + " -> " + mac + " @ " + underlayIp;
  }
}
