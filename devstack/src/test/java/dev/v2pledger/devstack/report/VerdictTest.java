package dev.v2pledger.devstack.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The services VNI is not compared with the oracle's table, but it must stay as ports left it. */
class VerdictTest {
  static final SledId SLED = SledId.parse("51ed0000-0000-4000-8000-000000000001");
  static final Vip SERVICE = new Vip(Vni.SERVICES, IpAddr.parse("172.31.255.1"));
  static final XdeMapping PORTS_ENTRY =
      new XdeMapping(SERVICE, MacAddr.parse("a8:40:25:ff:00:01"), Ipv6Addr.parse("fd00::1"));

  @Test
  void aServicesEntryTheApplierCleared_orChanged_orAdded_isAViolation() {
    Map<SledId, Map<Vip, XdeMapping>> ports = Map.of(SLED, Map.of(SERVICE, PORTS_ENTRY));
    Vip other = new Vip(Vni.SERVICES, IpAddr.parse("172.31.255.9"));
    XdeMapping moved = new XdeMapping(SERVICE, PORTS_ENTRY.mac(), Ipv6Addr.parse("fd00::2"));
    Set<Vni> excluded = Set.of(Vni.SERVICES);

    assertThat(
            Verdict.compareUntouched(Map.of(SLED, Map.of(SERVICE, PORTS_ENTRY)), ports, excluded))
        .isEmpty();
    assertThat(Verdict.compareUntouched(Map.of(SLED, Map.of()), ports, excluded))
        .singleElement()
        .extracting(Violation::kind)
        .isEqualTo("MISSING");
    assertThat(Verdict.compareUntouched(Map.of(SLED, Map.of(SERVICE, moved)), ports, excluded))
        .singleElement()
        .extracting(Violation::kind)
        .isEqualTo("DIFFERENT");
    assertThat(
            Verdict.compareUntouched(
                Map.of(SLED, Map.of(SERVICE, PORTS_ENTRY, other, moved)), ports, excluded))
        .singleElement()
        .extracting(Violation::vip)
        .isEqualTo(other);
  }
}
