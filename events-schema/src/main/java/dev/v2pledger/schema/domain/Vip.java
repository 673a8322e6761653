package dev.v2pledger.schema.domain;

/** A virtual IP within a VPC: the (VNI, IP) pair that XDE keys its V2P table by. */
public record Vip(Vni vni, IpAddr ip) implements Comparable<Vip> {
  public Vip {
    Values.required(vni, "VNI");
    Values.required(ip, "IP");
  }

  /** Sorts by VNI, then IP (IPv4 before IPv6), as every listing of this project does. */
  @Override
  public int compareTo(Vip other) {
    int byVni = vni.compareTo(other.vni);
    return byVni != 0 ? byVni : ip.compareTo(other.ip);
  }

  @Override
  public String toString() {
    return vni + "/" + ip;
  }
}
