package dev.v2pledger.applier.xde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv4Addr;
import dev.v2pledger.schema.domain.MacAddr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PortInfoTest {
  static final MacAddr MAC = MacAddr.parse("a8:40:25:f1:6e:6f");

  @Test
  void ofGivesThePrivateFamilyAnEmptyFloatingListAndTheOtherFamilyNothing() {
    PortInfo v4 = PortInfo.of("opte0", MAC, IpAddr.parse("172.30.0.5"), "running");
    assertThat(v4.ip4()).contains(Ipv4Addr.parse("172.30.0.5"));
    assertThat(v4.floatingIp4s()).contains(List.of());
    assertThat(v4.ip6()).isEmpty();
    assertThat(v4.floatingIp6s()).isEmpty();
    assertThat(v4.isRunning()).isTrue();

    PortInfo v6 = PortInfo.of("opte1", MAC, IpAddr.parse("fd77::5"), "paused");
    assertThat(v6.ip4()).isEmpty();
    assertThat(v6.floatingIp4s()).isEmpty();
    assertThat(v6.floatingIp6s()).contains(List.of());
    assertThat(v6.isRunning()).isFalse();
  }

  @Test
  void floatingListsAreCopied() {
    List<Ipv4Addr> floating = new ArrayList<>(List.of(Ipv4Addr.parse("10.0.0.9")));
    PortInfo port =
        new PortInfo(
            "opte0",
            MAC,
            Optional.empty(),
            Optional.empty(),
            Optional.of(floating),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            "running");
    floating.clear();
    assertThat(port.floatingIp4s().orElseThrow()).containsExactly(Ipv4Addr.parse("10.0.0.9"));
  }

  @Test
  void emptyNameOrStateIsRefused() {
    assertThatThrownBy(() -> PortInfo.of("", MAC, IpAddr.parse("10.0.0.1"), "running"))
        .hasMessage("port name is empty");
    assertThatThrownBy(() -> PortInfo.of("opte0", MAC, IpAddr.parse("10.0.0.1"), ""))
        .hasMessage("state of port 'opte0' is empty");
  }

  @ParameterizedTest
  @ValueSource(strings = {"opte0", "vopte12", "a", "x23456789012345678901234567890z"})
  void checkNameAcceptsDatalinkNames(String name) {
    assertThat(PortInfo.checkName(name)).isEqualTo(name);
  }

  @Test
  void checkNameRefusesEmptyLongAndUnprintableNames() {
    assertThatThrownBy(() -> PortInfo.checkName("")).hasMessage("port name is empty");
    assertThatThrownBy(() -> PortInfo.checkName("x".repeat(32)))
        .hasMessage("port name '" + "x".repeat(32) + "' is longer than 31 bytes (a datalink name)");
    assertThatThrownBy(() -> PortInfo.checkName("é".repeat(16)))
        .hasMessageContaining("longer than 31 bytes");
    assertThatThrownBy(() -> PortInfo.checkName("opte 0"))
        .hasMessage("port name 'opte 0' has a space or control character");
    assertThatThrownBy(() -> PortInfo.checkName("opte0\n"))
        .hasMessage("port name 'opte0?' has a space or control character");
  }
}
