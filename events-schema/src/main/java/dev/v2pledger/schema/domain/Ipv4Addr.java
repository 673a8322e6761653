package dev.v2pledger.schema.domain;

/** An IPv4 address, printed as a dotted quad. */
public record Ipv4Addr(int bits) implements IpAddr {

  /** Parses a dotted quad; throws {@link IllegalArgumentException} saying why not. */
  public static Ipv4Addr parse(String text) {
    return IpAddr.parse(text, Ipv4Addr.class, "IPv4");
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
