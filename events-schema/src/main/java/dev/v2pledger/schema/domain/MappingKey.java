package dev.v2pledger.schema.domain;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The Kafka key of {@code v2p.mappings}: one allocation of a (VNI, IP), written {@code
 * vni/ip/ip_epoch} (e.g. {@code 7777/172.30.0.5/12}). One allocation belongs to one NIC of one
 * instance, so each key has exactly one writer.
 */
public record MappingKey(Vip vip, long ipEpoch) {
  public MappingKey {
    Values.required(vip, "VIP");
    Ipv6Addr.requireNotIpv4Mapped(vip.ip(), "VIP");
    Values.nonNegative(ipEpoch, "ip_epoch");
  }

  public MappingKey(Vni vni, IpAddr ip, long ipEpoch) {
    this(new Vip(vni, ip), ipEpoch);
  }

  public static MappingKey of(Vip vip, long ipEpoch) {
    return new MappingKey(vip, ipEpoch);
  }

  public static MappingKey parse(String text) {
    // exactly two slashes (as a split on them into three parts), found without a split's objects
    int first = text.indexOf('/');
    int second = first < 0 ? -1 : text.indexOf('/', first + 1);
    if (second < 0 || text.indexOf('/', second + 1) >= 0) {
      throw new IllegalArgumentException(
          "mapping key '" + Values.abbreviate(text) + "' is not of the form vni/ip/ip_epoch");
    }
    long epoch;
    try {
      epoch = Long.parseLong(text.substring(second + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "mapping key '" + Values.abbreviate(text) + "': ip_epoch is not a number");
    }
    return new MappingKey(
        Vni.parse(text.substring(0, first)),
        IpAddr.parse(text.substring(first + 1, second)),
        epoch);
  }

  /**
   * A {@code v2p.mappings} record's Kafka key ({@code vni/ip/epoch}, UTF-8) as a mapping key; null
   * when absent or unparsable.
   */
  private static @Nullable MappingKey ofKafkaKey(byte @Nullable [] key) {
    if (key == null) {
      return null;
    }
    try {
      return parse(new String(key, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Whether a record of this key may sit under Kafka key {@code key}: this key's text as the
   * projector writes it ({@link #toString()}), byte for byte. Compaction keeps a record by its
   * Kafka key's bytes, so a record under any other key (another spelling of the address too, or
   * none) is never replaced by this key's later records nor removed by their tombstones. No
   * projector writes one; appliers hold it (DESIGN "Fail safe").
   */
  public boolean isUnder(byte @Nullable [] key) {
    return key != null && Arrays.equals(key, toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The key a record under Kafka key {@code key} may be of ({@link #isUnder}); null when it is
   * absent, does not parse, or is spelt otherwise than the projector writes it.
   */
  public static @Nullable MappingKey ofRecordKey(byte @Nullable [] key) {
    MappingKey parsed = ofKafkaKey(key);
    return parsed != null && parsed.isUnder(key) ? parsed : null;
  }

  public Vni vni() {
    return vip.vni();
  }

  public IpAddr ip() {
    return vip.ip();
  }

  /** The canonical key text, {@code vni/ip/ip_epoch}. */
  @Override
  public String toString() {
    return vip.vni() + "/" + vip.ip() + "/" + ipEpoch;
  }
}
