package dev.v2pledger.schema.domain;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address, held as bits and printed in canonical text (dotted quad; RFC 5952
 * lowercase, zero-compressed IPv6), so {@code FD77:0:0::5} and {@code fd77::5} are one value.
 */
public sealed interface IpAddr extends Comparable<IpAddr> permits Ipv4Addr, Ipv6Addr {

  /**
   * Parses an IP literal (never a host name; no DNS). IPv4-mapped IPv6 text ({@code
   * ::ffff:1.2.3.4}) is the IPv4 address. Zone ids and IPv4 octets with leading zeros are refused.
   */
  static IpAddr parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("IP address is missing");
    }
    long quad = Ipv4Addr.plainDottedQuad(text);
    if (quad >= 0) { // the common case, without Guava's objects; what Guava makes of it too
      return new Ipv4Addr((int) quad);
    }
    if (text.indexOf('%') < 0) {
      try {
        return of(InetAddresses.forString(text)); // parsed once: decoders parse two per record
      } catch (IllegalArgumentException e) {
        // said below, in this project's words
      }
    }
    throw new IllegalArgumentException(
        "'" + Values.abbreviate(text) + "' is not an IPv4 or IPv6 address");
  }

  /** Parses {@code text} as an address of one family, named {@code family} if it is not. */
  static <A extends IpAddr> A parse(String text, Class<A> type, String family) {
    IpAddr address = parse(text);
    if (type.isInstance(address)) {
      return type.cast(address);
    }
    throw new IllegalArgumentException(
        "'" + Values.abbreviate(text) + "' is not an " + family + " address");
  }

  /** The address of a parsed {@link InetAddress}. */
  static IpAddr of(InetAddress address) {
    return fromBytes(address.getAddress());
  }

  /** 4 bytes make an IPv4 address, 16 an IPv6 address (network byte order). */
  static IpAddr fromBytes(byte[] bytes) {
    return switch (bytes.length) {
      case 4 -> Ipv4Addr.fromBytes(bytes);
      case 16 -> Ipv6Addr.fromBytes(bytes);
      default ->
          throw new IllegalArgumentException(
              "an IP address has 4 or 16 bytes, got " + bytes.length);
    };
  }

  /** Network byte order: 4 bytes for IPv4, 16 for IPv6. */
  byte[] toBytes();

  /** The JDK form, for sockets and interop. */
  default InetAddress toInetAddress() {
    try {
      return InetAddress.getByAddress(toBytes());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("unreachable: address has a valid length", e);
    }
  }

  /** IPv4 sorts before IPv6; within a family, by numeric value. */
  @Override
  default int compareTo(IpAddr other) {
    if (this instanceof Ipv4Addr a && other instanceof Ipv4Addr b) {
      return Integer.compareUnsigned(a.bits(), b.bits());
    }
    if (this instanceof Ipv6Addr a && other instanceof Ipv6Addr b) {
      int high = Long.compareUnsigned(a.high(), b.high());
      return high != 0 ? high : Long.compareUnsigned(a.low(), b.low());
    }
    return this instanceof Ipv4Addr ? -1 : 1;
  }
}
