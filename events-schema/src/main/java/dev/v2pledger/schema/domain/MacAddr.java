package dev.v2pledger.schema.domain;

/** A 48-bit Ethernet address, printed as lowercase {@code aa:bb:cc:dd:ee:ff}. */
public record MacAddr(long bits) {
  private static final long MASK = (1L << 48) - 1;

  public MacAddr {
    if ((bits & ~MASK) != 0) {
      throw new IllegalArgumentException("MAC address has more than 48 bits: " + bits);
    }
  }

  /** Parses {@code aa:bb:cc:dd:ee:ff} in either case; throws saying why not. */
  public static MacAddr parse(String text) {
    if (text == null || text.length() != 17) {
      throw notMac(text);
    }
    long bits = 0;
    for (int i = 0; i < 17; i++) {
      char c = text.charAt(i);
      if (i % 3 == 2) {
        if (c != ':') {
          throw notMac(text);
        }
        continue;
      }
      int digit = Values.hexDigit(c);
      if (digit < 0) {
        throw notMac(text);
      }
      bits = bits << 4 | digit;
    }
    return new MacAddr(bits);
  }

  private static IllegalArgumentException notMac(String text) {
    return new IllegalArgumentException(
        "MAC address '"
            + (text == null ? "" : Values.abbreviate(text))
            + "' is not of the form aa:bb:cc:dd:ee:ff");
  }

  /** The six bytes, most significant first (OPTE's {@code [u8; 6]}). */
  public static MacAddr fromBytes(byte[] bytes) {
    if (bytes.length != 6) {
      throw new IllegalArgumentException("MAC address needs 6 bytes, got " + bytes.length);
    }
    long bits = 0;
    for (byte b : bytes) {
      bits = (bits << 8) | (b & 0xff);
    }
    return new MacAddr(bits);
  }

  public byte[] toBytes() {
    byte[] out = new byte[6];
    for (int i = 0; i < 6; i++) {
      out[i] = (byte) (bits >>> (8 * (5 - i)));
    }
    return out;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder(17);
    for (int i = 5; i >= 0; i--) {
      int octet = (int) (bits >>> (8 * i)) & 0xff;
      out.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xf, 16));
      if (i > 0) {
        out.append(':');
      }
    }
    return out.toString();
  }
}
