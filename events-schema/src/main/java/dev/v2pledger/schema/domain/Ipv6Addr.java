package dev.v2pledger.schema.domain;

/** An IPv6 address (underlay addresses are always IPv6), printed as RFC 5952 text. */
public record Ipv6Addr(long high, long low) implements IpAddr {
  private static final int GROUPS = 8;

  /** Parses IPv6 text; IPv4 text is refused (an underlay address must be IPv6). */
  public static Ipv6Addr parse(String text) {
    return IpAddr.parse(text, Ipv6Addr.class, "IPv6");
  }

  public static Ipv6Addr fromBytes(byte[] bytes) {
    if (bytes.length != 16) {
      throw new IllegalArgumentException("an IPv6 address has 16 bytes, got " + bytes.length);
    }
    return new Ipv6Addr(longAt(bytes, 0), longAt(bytes, 8));
  }

  private static long longAt(byte[] bytes, int from) {
    long value = 0;
    for (int i = from; i < from + 8; i++) {
      value = (value << 8) | (bytes[i] & 0xff);
    }
    return value;
  }

  /**
   * Whether this is an IPv4-mapped address ({@code ::ffff:a.b.c.d}): its text reads back as the
   * IPv4 address ({@link IpAddr#parse}), so an event or mapping refuses it ({@link
   * #requireNotIpv4Mapped}).
   */
  public boolean isIpv4Mapped() {
    return high == 0 && low >>> 32 == 0xffffL;
  }

  /**
   * {@code ip}, refused when it is {@link #isIpv4Mapped IPv4-mapped}: a value of an event or
   * mapping must read back from its text as itself.
   */
  static <A extends IpAddr> A requireNotIpv4Mapped(A ip, String what) {
    if (ip instanceof Ipv6Addr v6 && v6.isIpv4Mapped()) {
      throw new IllegalArgumentException(
          what
              + " "
              + v6
              + " is an IPv4-mapped address, which reads as the IPv4 address "
              + new Ipv4Addr((int) v6.low)
              + ": give the IPv4 address, or an IPv6 address outside ::ffff:0:0/96");
    }
    return ip;
  }

  @Override
  public byte[] toBytes() {
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (high >>> (56 - 8 * i));
      out[8 + i] = (byte) (low >>> (56 - 8 * i));
    }
    return out;
  }

  private int group(int index) {
    long half = index < 4 ? high : low;
    return (int) (half >>> (48 - 16 * (index % 4))) & 0xffff;
  }

  /**
   * RFC 5952: lowercase hex, no leading zeros, the first longest run of two or more zero groups as
   * {@code ::}.
   */
  @Override
  public String toString() {
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < GROUPS; ) {
      int j = i;
      while (j < GROUPS && group(j) == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = Math.max(j, i + 1);
    }
    StringBuilder out = new StringBuilder(39);
    for (int i = 0; i < GROUPS; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(group(i)));
    }
    return out.toString();
  }
}
