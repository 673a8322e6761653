package dev.v2pledger.schema.domain;

/** Where a VIP lives: the guest MAC, and the sled (and its IPv6 underlay address) hosting it. */
public record V2PTarget(MacAddr mac, Ipv6Addr underlayIp, SledId sledId) {
  public V2PTarget {
    Values.required(mac, "MAC");
    Values.required(underlayIp, "underlay IP");
    Values.required(sledId, "sled id");
  }
}
