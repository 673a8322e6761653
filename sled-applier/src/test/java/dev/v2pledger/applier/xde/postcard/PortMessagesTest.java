package dev.v2pledger.applier.xde.postcard;

import static dev.v2pledger.applier.xde.postcard.Hex.bytes;
import static dev.v2pledger.applier.xde.postcard.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.applier.testing.SamplePorts;
import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ListPorts and ClearUft bodies from bytes derived by hand from oxide-vpc's {@code PortInfo} and
 * opte-api's {@code ClearUftReq}: a {@code String} is a varint length then UTF-8, an {@code Option}
 * is {@code 00} or {@code 01} then the value, a {@code Vec} a varint count then its elements.
 */
class PortMessagesTest {

  /** Every Option present, lists of two and one. */
  static final PortInfo FULL = SamplePorts.full("opte0", "a8:40:25:f1:6e:6f");

  /** Every Option absent. */
  static final PortInfo BARE = SamplePorts.bare("opte1", "a8:40:25:00:00:02");

  /** As XDE lists an IPv4-only guest: Some(empty) floating list, None for IPv6. */
  static final PortInfo IPV4_ONLY =
      PortInfo.of("opte2", MacAddr.parse("a8:40:25:00:00:03"), IpAddr.parse("10.0.0.1"), "ready");

  static final String LIST =
      "03" // ports: 3
          // opte0: name | mac_addr | ip4_addr Some | ephemeral_ip4_addr Some
          + "| 05 6f70746530 | a84025f16e6f | 01 ac1e0005 | 01 0a010203"
          // floating_ip4_addrs Some(2 addresses) | ip6_addr Some
          + "| 01 02 0a010204 0a010205 | 01 fd770000000000000000000000000005"
          // ephemeral_ip6_addr Some | floating_ip6_addrs Some(1 address) | state "running"
          + "| 01 20010db8000000000000000000000001 | 01 01 20010db8000000000000000000000002"
          + "| 07 72756e6e696e67"
          // opte1: six None, state "paused"
          + "| 05 6f70746531 | a84025000002 | 00 | 00 | 00 | 00 | 00 | 00 | 06 706175736564"
          // opte2: ip4 Some, ephemeral None, floating Some(empty), IPv6 all None, "ready"
          + "| 05 6f70746532 | a84025000003 | 01 0a000001 | 00 | 01 00 | 00 | 00 | 00"
          + "| 05 7265616479";

  @Test
  void listPortsWithEveryOptionPresentAbsentAndEmpty() {
    byte[] list = bytes(LIST);
    assertThat(PortMessages.decodeListPorts(list, list.length))
        .containsExactly(FULL, BARE, IPV4_ONLY);
    assertThat(hex(PortMessages.listPortsResponse(List.of(FULL, BARE, IPV4_ONLY))))
        .isEqualTo(hex(list));
  }

  @Test
  void noPortsIsOneZeroByte() {
    assertThat(PortMessages.decodeListPorts(bytes("00"), 1)).isEmpty();
    assertThat(PortMessages.listPortsResponse(List.of())).isEqualTo(bytes("00"));
  }

  @Test
  void clearUftRequestIsThePortNameAsAString() {
    assertThat(hex(PortMessages.clearUftRequest("opte0"))).isEqualTo("056f70746530");
    assertThat(PortMessages.decodeClearUftRequest(bytes("05 6f70746530"))).isEqualTo("opte0");
    // 200 bytes: the length varint is 0xc8 0x01 (200 = 72 + 1 * 128)
    String longName = "p".repeat(200);
    assertThat(hex(PortMessages.clearUftRequest(longName))).isEqualTo("c801" + "70".repeat(200));
    // UTF-8: "é" is two bytes
    assertThat(hex(PortMessages.clearUftRequest("é0"))).isEqualTo("03c3a930");
  }

  @Test
  void aLongListHasAMultiByteCount() {
    // 130 bare ports: the count varint is 0x82 0x01
    StringBuilder text = new StringBuilder("8201");
    for (int i = 0; i < 130; i++) {
      text.append(
          String.format(
              "| 03 703%d3%d | a840250000%02x | 000000000000 | 05 7265616479",
              i / 10 % 10, i % 10, i));
    }
    byte[] list = bytes(text.toString());
    List<PortInfo> ports = PortMessages.decodeListPorts(list, list.length);
    assertThat(ports).hasSize(130);
    assertThat(ports.get(129).name()).isEqualTo("p29");
    assertThat(ports.get(129).mac()).isEqualTo(MacAddr.parse("a8:40:25:00:00:81"));
  }

  @Test
  void badOptionTagsEmptyNamesAndTrailingBytesAreRefused() {
    assertThatThrownBy(() -> decode("01 | 01 70 | a84025000002 | 02 | 0000000000 | 00"))
        .isInstanceOf(PostcardException.class)
        .hasMessage(
            "postcard: at byte 9: ports[0].ip4_addr: Option tag 2 is neither 0 (None) nor 1 (Some)");
    assertThatThrownBy(() -> decode("01 | 00 | a84025000002 | 000000000000 | 05 7265616479"))
        .isInstanceOf(PostcardException.class)
        .hasMessage("postcard: at byte 1: ports[0]: port name is empty");
    assertThatThrownBy(() -> decode("01 | 01 70 | a84025000002 | 000000000000 | 00"))
        .hasMessage("postcard: at byte 1: ports[0]: state of port 'p' is empty");
    assertThatThrownBy(() -> decode("00 00"))
        .hasMessage("postcard: at byte 1: ListPortsResp: 1 unexpected bytes after the value");
    assertThatThrownBy(() -> decode("ffffffff0f 00"))
        .hasMessage("postcard: at byte 0: ports: length 4294967295 but only 1 bytes remain");
    assertThatThrownBy(() -> decode("01 | 01 70 | a84025000002 | 00 00 01 ff7f | 00 00 00 | 00"))
        .hasMessageContaining("ports[0].floating_ip4_addrs: length 16383 but only");
    assertThatThrownBy(() -> PortMessages.decodeClearUftRequest(bytes("05 6f70746530 00")))
        .hasMessageContaining("ClearUftReq: 1 unexpected bytes");
  }

  private static List<PortInfo> decode(String text) {
    byte[] b = bytes(text);
    return PortMessages.decodeListPorts(b, b.length);
  }
}
