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
