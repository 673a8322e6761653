package dev.v2pledger.schema.domain;

/**
 * Where a VIP lives: the guest MAC, and the sled (and its IPv6 underlay address) hosting it. A
 * value: equal to another with the same three parts.
 *
 * <p>Not a record, for memory: the MAC, unique to its NIC and so never shared, is kept as its 48
 * bits rather than as an object of its own (16 bytes less for each of an applier's millions of
 * mappings); {@link #mac()} builds it when asked. The underlay address and sled id are shared.
 */
public final class V2PTarget {
  private final long mac;
  private final Ipv6Addr underlayIp;
  private final SledId sledId;

  public V2PTarget(MacAddr mac, Ipv6Addr underlayIp, SledId sledId) {
    Values.required(mac, "MAC");
    Values.required(underlayIp, "underlay IP");
    Ipv6Addr.requireNotIpv4Mapped(underlayIp, "underlay IP");
    Values.required(sledId, "sled id");
    this.mac = mac.bits();
    this.underlayIp = underlayIp;
    this.sledId = sledId;
  }

  public MacAddr mac() {
    return new MacAddr(mac);
  }

  public Ipv6Addr underlayIp() {
    return underlayIp;
  }

  public SledId sledId() {
    return sledId;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof V2PTarget that
        && mac == that.mac
        && underlayIp.equals(that.underlayIp)
        && sledId.equals(that.sledId);
  }

  @Override
  public int hashCode() {
    return (Long.hashCode(mac) * 31 + underlayIp.hashCode()) * 31 + sledId.hashCode();
  }

  @Override
  public String toString() {
    return "V2PTarget[mac=" + mac() + ", underlayIp=" + underlayIp + ", sledId=" + sledId + "]";
  }
}
