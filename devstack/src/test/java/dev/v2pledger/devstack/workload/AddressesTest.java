package dev.v2pledger.devstack.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv4Addr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.Vni;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A VPC's IPv4 addresses: none handed out twice, past 172.30.0.0/16's 64 000 too. */
class AddressesTest {
  @Test
  void noIpv4AddressTwice_pastTheFirst64000() {
    Set<Ipv4Addr> seen = new HashSet<>();
    for (int host = 0; host < 200_000; host++) {
      assertThat(seen.add(Addresses.ipv4(host)))
          .as("host %d: %s", host, Addresses.ipv4(host))
          .isTrue();
    }
    assertThat(Addresses.ipv4(0)).hasToString("172.30.0.2");
    assertThat(Addresses.ipv4(63_999)).hasToString("172.30.255.251");
    assertThat(Addresses.ipv4(64_000)).hasToString("10.0.0.2");
    assertThat(Addresses.ipv4(64_000 + 250 * 256)).hasToString("10.1.0.2");
  }

  @Test
  void theLastAddress_thenAClearError() {
    int last = 250 * 256 + 250 * 256 * 256 - 1;
    assertThat(Addresses.ipv4(last)).hasToString("10.255.255.251");
    assertThatThrownBy(() -> Addresses.ipv4(last + 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a VPC of the workload ran out of IPv4 addresses");
  }

  /**
   * A VPC's IPv6 addresses (a fifth of its new NICs' IPs) go on past 65 535 too: the counter gave
   * {@code fd77::10000}, which is no address (a group holds 16 bits), and the long run stopped with
   * a parse error after ~330 000 NICs in one VPC, five times sooner than the IPv4 wrap fixed above.
   */
  @Test
  void noIpv6AddressTwice_pastTheFirst65535() {
    Addresses addresses =
        new Addresses(
            WorkloadConfig.of(1, 2, WorkloadShape.DEFAULTS), new Random(1), new Ids(new Random(2)));
    addresses.pickVpcs();
    Vni vni = addresses.anyVpc();
    Set<Ipv6Addr> seen = new HashSet<>();
    while (seen.size() < 70_000) {
      for (IpAddr ip : addresses.newNic(vni).ips()) {
        if (ip instanceof Ipv6Addr v6) {
          assertThat(seen.add(v6)).as("%s twice", v6).isTrue();
        }
      }
    }
  }
}
