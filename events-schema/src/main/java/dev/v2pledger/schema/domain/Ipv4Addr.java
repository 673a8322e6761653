package dev.v2pledger.schema.domain;

/** An IPv4 address, printed as a dotted quad. */
public record Ipv4Addr(int bits) implements IpAddr {

  /** Parses a dotted quad; throws {@link IllegalArgumentException} saying why not. */
  public static Ipv4Addr parse(String text) {
    return IpAddr.parse(text, Ipv4Addr.class, "IPv4");
  }

  /**
   * The bits of {@code text} when it is a plain dotted quad (four groups of one to three ASCII
   * digits, no leading zero, each at most 255), else -1: the form of nearly every address read,
   * parsed without the objects of the general parser, which gives these texts the same bits and
   * decides every other text.
   */
  static long plainDottedQuad(String text) {
    int length = text.length();
    if (length < 7 || length > 15) {
      return -1;
    }
    long bits = 0;
    int groups = 0;
    int i = 0;
    while (true) {
      int start = i;
      int octet = 0;
      while (i < length && i - start < 3) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') {
          break;
        }
        octet = octet * 10 + (c - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || octet > 255 || (digits > 1 && text.charAt(start) == '0')) {
        return -1;
      }
      bits = bits << 8 | octet;
      if (++groups == 4) {
        return i == length ? bits : -1;
      }
      if (i >= length || text.charAt(i) != '.') {
        return -1;
      }
      i++;
    }
  }

  public static Ipv4Addr fromBytes(byte[] bytes) {
    if (bytes.length != 4) {
      throw new IllegalArgumentException("an IPv4 address has 4 bytes, got " + bytes.length);
    }
    return new Ipv4Addr(
        (bytes[0] & 0xff) << 24
            | (bytes[1] & 0xff) << 16
            | (bytes[2] & 0xff) << 8
            | bytes[3] & 0xff);
  }

  @Override
  public byte[] toBytes() {
    return new byte[] {
      (byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits
    };
  }

  @Override
  public String toString() {
    return (bits >>> 24)
        + "."
        + (bits >>> 16 & 0xff)
        + "."
        + (bits >>> 8 & 0xff)
        + "."
        + (bits & 0xff);
  }
}
