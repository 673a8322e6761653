package dev.v2pledger.applier.xde.postcard;

import static dev.v2pledger.applier.xde.postcard.Hex.bytes;
import static dev.v2pledger.applier.xde.postcard.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Byte vectors derived by hand from the postcard format: an enum is its variant index as a varint
 * then its fields; {@code [u8; N]} is N raw bytes; a {@code Vec} is a varint length then its
 * elements; a {@code u64} is a LEB128 varint.
 */
class V2PMessagesTest {
  static final String MAC = "a8 40 25 f1 6e 6f";
  static final String MAC2 = "a8 40 25 00 00 02";
  static final String UNDERLAY = "fd00 1122 3344 0101 0000 0000 0000 0001"; // fd00:1122:3344:101::1
  static final String UNDERLAY2 = "fd00 1122 3344 0102 0000 0000 0000 0001";

  static XdeMapping mapping(int vni, String ip, String mac, String underlay) {
    return new XdeMapping(
        new Vip(new Vni(vni), IpAddr.parse(ip)), MacAddr.parse(mac), Ipv6Addr.parse(underlay));
  }

  static final XdeMapping V4 =
      mapping(7777, "172.30.0.5", "a8:40:25:f1:6e:6f", "fd00:1122:3344:101::1");

  @Test
  void setRequestForIpv4Vip() {
    // vip: IpAddr::Ip4 (variant 0) + 4 bytes | phys: ether, ip, vni (7777 = 0x001e61)
    assertThat(hex(V2PMessages.setRequest(V4)))
        .isEqualTo(hex(bytes("00 | ac1e0005 | " + MAC + " | " + UNDERLAY + " | 001e61")));
  }

  @Test
  void setRequestForIpv6VipInTheLargestVni() {
    XdeMapping v6 = mapping(16777215, "fd77::5", "a8:40:25:00:00:02", "fd00:1122:3344:102::1");
    assertThat(hex(V2PMessages.setRequest(v6)))
        .isEqualTo(
            hex(
                bytes(
                    "01 | fd77 0000 0000 0000 0000 0000 0000 0005 | "
                        + MAC2
                        + " | "
                        + UNDERLAY2
                        + " | ffffff")));
    assertThat(V2PMessages.decodeRequest(V2PMessages.setRequest(v6))).isEqualTo(v6);
    assertThat(V2PMessages.setRequest(v6)).hasSize(V2PMessages.MAX_REQUEST_BYTES);
  }

  @Test
  void clearRequestSendsZeroMacAndUnderlay() {
    assertThat(hex(V2PMessages.clearRequest(V4.vip())))
        .isEqualTo(hex(bytes("00 | ac1e0005 | 000000000000 | " + "00".repeat(16) + " | 001e61")));
  }

  static final String DUMP =
      "03" // mappings: 3 VNIs
          + "| 00002a | 01 | 0a000001 "
          + MAC
          + UNDERLAY
          + " | 00" // VNI 42: one IPv4, no IPv6
          + "| 001e61 | 02 | ac1e0005 "
          + MAC
          + UNDERLAY // VNI 7777: two IPv4 ...
          + "            | ac1e0009 "
          + MAC2
          + UNDERLAY2
          + "       | 01 | fd770000000000000000000000000005 "
          + MAC2
          + UNDERLAY2 // ... one IPv6
          + "| 0186a0 | 00 | 00"; // VNI 100000: empty (OPTE keeps a VNI's group after clears)

  @Test
  void dumpWithSeveralVnisAndBothFamilies() {
    assertThat(V2PMessages.decodeDump(bytes(DUMP), bytes(DUMP).length))
        .containsExactly(
            mapping(42, "10.0.0.1", "a8:40:25:f1:6e:6f", "fd00:1122:3344:101::1"),
            V4,
            mapping(7777, "172.30.0.9", "a8:40:25:00:00:02", "fd00:1122:3344:102::1"),
            mapping(7777, "fd77::5", "a8:40:25:00:00:02", "fd00:1122:3344:102::1"));
  }

  @Test
  void dumpWithAMultiByteLength() {
    // 130 IPv4 entries: the length varint is 0x82 0x01 (130 = 2 + 1 * 128)
    StringBuilder text = new StringBuilder("01 | 000001 | 8201");
    for (int i = 0; i < 130; i++) {
      text.append(String.format(" | 0a0000%02x ", i)).append(MAC).append(UNDERLAY);
    }
    text.append(" | 00");
    byte[] dump = bytes(text.toString());

    List<XdeMapping> entries = V2PMessages.decodeDump(dump, dump.length);
    assertThat(entries).hasSize(130);
    assertThat(entries.get(129).vip().ip()).isEqualTo(IpAddr.parse("10.0.0.129"));
  }

  @Test
  void emptyDumpAndNoResp() {
    assertThat(V2PMessages.decodeDump(bytes("00"), 1)).isEmpty();
    assertThat(V2PMessages.decodeNoResp(bytes("00"), 1)).isZero();
    assertThat(V2PMessages.decodeNoResp(bytes("ac02"), 2)).isEqualTo(300);
    assertThat(V2PMessages.decodeNoResp(bytes("ffffffffffffffffff01"), 10)).isEqualTo(-1L);
  }

  @Test
  void trailingBytesAndImpossibleLengthsAreRefusedBeforeAllocating() {
    assertThatThrownBy(() -> V2PMessages.decodeDump(bytes(DUMP + "00"), bytes(DUMP).length + 1))
        .hasMessage("postcard: at byte 132: DumpVirt2PhysResp: 1 unexpected bytes after the value");
    assertThatThrownBy(() -> V2PMessages.decodeDump(bytes("ffffffff0f 000000"), 8))
        .hasMessage("postcard: at byte 0: mappings: length 4294967295 but only 3 bytes remain");
    assertThatThrownBy(() -> V2PMessages.decodeDump(bytes("01 000001 ffffffffffffffffff01"), 14))
        .hasMessageContaining("mappings[0].ip4: length 18446744073709551615");
    assertThatThrownBy(() -> V2PMessages.decodeNoResp(bytes("ffffffffffffffffff02"), 10))
        .hasMessageContaining("varint overflows 64 bits");
    assertThatThrownBy(() -> V2PMessages.decodeRequest(bytes("02 ac1e0005")))
        .hasMessage("postcard: at byte 0: IpAddr: unknown variant 2");
  }
}
