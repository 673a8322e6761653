package dev.v2pledger.schema.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import com.google.common.net.InetAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddrTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "FD77:0:0::5, fd77::5",
    "fd77::5, fd77::5",
    "fd00:1122:3344:0101:0000:0000:0000:0001, fd00:1122:3344:101::1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "0:0:0:0:0:0:0:0, ::",
    "::1, ::1",
    "1::, 1::",
    "1:0:0:2:0:0:0:3, 1:0:0:2::3",
    "::ffff:172.30.0.5, 172.30.0.5",
    "172.30.0.5, 172.30.0.5",
    "255.255.255.255, 255.255.255.255"
  })
  void givenAnySpelling_whenParsed_thenPrintsCanonicalText(String text, String canonical) {
    IpAddr ip = IpAddr.parse(text);

    assertThat(ip.toString()).isEqualTo(canonical);
    assertThat(IpAddr.parse(canonical)).isEqualTo(ip);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "localhost",
        "example.com",
        "172.30.0",
        "172.30.0.256",
        "172.030.0.5",
        "fe80::1%eth0",
        "fe80::1%1",
        "fd77:::5",
        "1:2:3:4:5:6:7:8:9",
        " 172.30.0.5"
      })
  void givenNotAnIpLiteral_whenParsed_thenRefusedWithoutDnsLookup(String text) {
    assertThatThrownBy(() -> IpAddr.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not an IPv4 or IPv6 address");
  }

  @Test
  void underlayAddressesMustBeIpv6() {
    assertThat(Ipv6Addr.parse("fd00:1122:3344:101::1").toString())
        .isEqualTo("fd00:1122:3344:101::1");
    assertThatThrownBy(() -> Ipv6Addr.parse("172.30.0.5"))
        .hasMessage("'172.30.0.5' is not an IPv6 address");
    assertThatThrownBy(() -> Ipv4Addr.parse("fd77::5"))
        .hasMessage("'fd77::5' is not an IPv4 address");
  }

  @Test
  void ipv6TextMatchesGuavaRfc5952FormatterForRandomAddresses() {
    qt().forAll(longs().all(), longs().all(), integers().between(0, 255))
        .checkAssert(
            (high, low, zeroMask) -> {
              Ipv6Addr ip =
                  new Ipv6Addr(zeroGroups(high, zeroMask), zeroGroups(low, zeroMask >> 4));
              InetAddress jdk = ip.toInetAddress();
              if (jdk instanceof Inet6Address) {
                assertThat(ip.toString()).isEqualTo(InetAddresses.toAddrString(jdk));
              }
              assertThat(IpAddr.parse(ip.toString())).isEqualTo(IpAddr.fromBytes(ip.toBytes()));
            });
  }

  @Test
  void ipv4BytesRoundTripForRandomAddresses() {
    qt().forAll(integers().all())
        .checkAssert(
            bits -> {
              Ipv4Addr ip = new Ipv4Addr(bits);
              assertThat(Ipv4Addr.fromBytes(ip.toBytes())).isEqualTo(ip);
              assertThat(IpAddr.parse(ip.toString())).isEqualTo(ip);
            });
  }

  @Test
  void dottedQuadLikeTextParsesAsGuavaParsesIt() {
    // IpAddr.parse reads plain dotted quads itself and hands every other text to Guava: the two
    // must agree on every text near that line (leading zeros, 256, empty, missing or extra groups)
    String[] groups = {"0", "00", "01", "7", "10", "99", "255", "256", "300", "1000", "", "x"};
    for (String a : groups) {
      for (String b : groups) {
        for (String c : groups) {
          for (String d : groups) {
            for (int count = 2; count <= 5; count++) {
              String text = String.join(".", List.of(a, b, c, d, "1").subList(0, count));
              assertParsesAsGuava(text);
            }
          }
        }
      }
    }
  }

  private static void assertParsesAsGuava(String text) {
    IpAddr expected;
    try {
      expected = IpAddr.of(InetAddresses.forString(text));
    } catch (IllegalArgumentException e) {
      assertThatThrownBy(() -> IpAddr.parse(text))
          .hasMessage("'" + text + "' is not an IPv4 or IPv6 address");
      return;
    }
    assertThat(IpAddr.parse(text)).isEqualTo(expected);
  }

  @Test
  void ordersIpv4BeforeIpv6AndNumericallyWithinAFamily() {
    IpAddr a = IpAddr.parse("10.0.0.2");
    IpAddr b = IpAddr.parse("10.0.0.10");
    IpAddr c = IpAddr.parse("200.0.0.1");
    IpAddr d = IpAddr.parse("::1");
    IpAddr e = IpAddr.parse("fd77::5");

    assertThat(Stream.of(e, c, d, b, a).sorted()).containsExactly(a, b, c, d, e);
  }

  /** Zeroes 16-bit groups selected by the mask, so runs of zeros (the hard cases) are common. */
  private static long zeroGroups(long value, int mask) {
    long out = value;
    for (int group = 0; group < 4; group++) {
      if ((mask >> group & 1) == 1) {
        out &= ~(0xffffL << (16 * group));
      }
    }
    return out;
  }
}
