package dev.v2pledger.schema.domain;

/**
 * The Kafka key of {@code v2p.mappings}: one allocation of a (VNI, IP), written {@code
 * vni/ip/ip_epoch} (e.g. {@code 7777/172.30.0.5/12}). One allocation belongs to one NIC of one
 * instance, so each key has exactly one writer.
 */
public record MappingKey(Vni vni, IpAddr ip, long ipEpoch) {
  public MappingKey {
    Values.required(vni, "VNI");
    Values.required(ip, "IP");
    Values.nonNegative(ipEpoch, "ip_epoch");
  }

  public static MappingKey of(Vip vip, long ipEpoch) {
    return new MappingKey(vip.vni(), vip.ip(), ipEpoch);
  }

  /** Parses {@code vni/ip/ip_epoch}, canonicalizing the IP; throws saying what is wrong. */
  public static MappingKey parse(String text) {
    String[] parts = text.split("/", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "mapping key '" + Values.abbreviate(text) + "' is not of the form vni/ip/ip_epoch");
    }
    long epoch;
    try {
      epoch = Long.parseLong(parts[2]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "mapping key '" + Values.abbreviate(text) + "': ip_epoch is not a number");
    }
    return new MappingKey(Vni.parse(parts[0]), IpAddr.parse(parts[1]), epoch);
  }

  public Vip vip() {
    return new Vip(vni, ip);
  }

  /** The canonical key text, {@code vni/ip/ip_epoch}. */
  @Override
  public String toString() {
    return vni + "/" + ip + "/" + ipEpoch;
  }
}
