package dev.v2pledger.applier.xde.postcard;

import static dev.v2pledger.applier.xde.postcard.Hex.bytes;
import static dev.v2pledger.applier.xde.postcard.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.applier.xde.OpteError;
import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.Ipv4Addr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The codecs against bytes that OPTE's own serializer wrote, not derived by hand: postcard 1.1.3
 * (the version OPTE's Cargo.lock pins) serializing values of OPTE's API-41 types ({@code opte-api}
 * {@code cmd.rs}, {@code ip.rs}, {@code mac.rs}; ingot's {@code Vni}; {@code oxide-vpc} {@code
 * api.rs}), printed in hex by a throwaway Rust program at OPTE commit 21df7210 (2026-07-24, still
 * API 41). The hand-written tests beside this one check the same layouts field by field; these
 * catch a misreading both the codec and those tests share.
 */
class OpteReferenceVectorsTest {
  static XdeMapping m(int vni, String ip, String mac, String u) {
    return V2PMessagesTest.mapping(vni, ip, mac, u);
  }

  static OpteError err(String h) {
    byte[] b = bytes(h);
    return OpteErrorCodec.decode(b, b.length);
  }

  @Test
  void requests() {
    assertThat(
            hex(
                V2PMessages.setRequest(
                    m(7777, "172.30.0.5", "a8:40:25:f1:6e:6f", "fd00:1122:3344:101::1"))))
        .isEqualTo(SET_V4);
    assertThat(
            hex(
                V2PMessages.setRequest(
                    m(16777215, "fd77::5", "a8:40:25:00:00:02", "fd00:1122:3344:102::1"))))
        .isEqualTo(SET_V6);
    assertThat(hex(V2PMessages.clearRequest(new Vip(new Vni(7777), Ipv4Addr.parse("172.30.0.5")))))
        .isEqualTo(CLEAR_V4);
    assertThat(hex(PortMessages.clearUftRequest("opte0"))).isEqualTo(CLEAR_UFT);
  }

  @Test
  void responses() {
    byte[] d = bytes(DUMP);
    String u = "fd00:1122:3344:101::1", mac = "a8:40:25:f1:6e:6f";
    assertThat(V2PMessages.decodeDump(d, d.length))
        .containsExactly(
            m(7777, "172.30.0.5", mac, u),
            m(7777, "172.30.0.6", mac, u),
            m(7777, "fd77::5", mac, u));
    assertThat(V2PMessages.decodeNoResp(bytes(NO_RESP), 1)).isZero();
    byte[] p = bytes(PORTS);
    PortInfo opte0 =
        new PortInfo(
            "opte0",
            MacAddr.parse(mac),
            Optional.of(Ipv4Addr.parse("172.30.0.5")),
            Optional.of(Ipv4Addr.parse("45.154.216.9")),
            Optional.of(List.of(Ipv4Addr.parse("45.154.216.10"), Ipv4Addr.parse("45.154.216.11"))),
            Optional.of(Ipv6Addr.parse("fd77::5")),
            Optional.empty(),
            Optional.of(List.of()),
            "running");
    PortInfo opte1 =
        new PortInfo(
            "opte1",
            MacAddr.parse("a8:40:25:00:00:02"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(Ipv6Addr.parse("fd77::6")),
            Optional.empty(),
            Optional.of(List.of()),
            "paused");
    assertThat(PortMessages.decodeListPorts(p, p.length)).containsExactly(opte0, opte1);
    assertThat(hex(PortMessages.listPortsResponse(List.of(opte0, opte1)))).isEqualTo(PORTS);
  }

  @Test
  void errors() {
    assertThat(err(E_BADVER)).isEqualTo(new OpteError.BadApiVersion(41, 300));
    assertThat(hex(OpteErrorCodec.badApiVersion(41, 300))).isEqualTo(E_BADVER);
    assertThat(err(E_BADLAYERPOS).describe()).isEqualTo("BadLayerPos: layer fw, position first");
    assertThat(err(E_BADNAME).describe()).isEqualTo("BadName");
    assertThat(err(E_BADSTATE)).isEqualTo(new OpteError.BadState("paused"));
    assertThat(err(E_DESERCMDREQ).describe()).isEqualTo("DeserCmdReq: Hit the end of buffer");
    assertThat(err(E_INVALIDROUTER).describe())
        .isEqualTo("InvalidRouterEntry: destination fd00::/64, target ig");
    assertThat(err(E_MACEXISTS).describe())
        .isEqualTo("MacExists: port opte0, VNI 7777, MAC a8:40:25:f1:6e:6f");
    assertThat(err(E_MAXCAP).describe()).isEqualTo("MaxCapacity: 8192");
    assertThat(err(E_NOREQBODY).describe()).isEqualTo("NoRequestBody");
    assertThat(err(E_PORTNOTFOUND)).isEqualTo(new OpteError.PortNotFound("opte9"));
    assertThat(err(E_RESPTOOLARGE)).isEqualTo(new OpteError.RespTooLarge(70000, 16384));
    assertThat(err(E_RULENOTFOUND).describe()).isEqualTo("RuleNotFound: 300");
    assertThat(err(E_SYSTEM)).isEqualTo(new OpteError.SystemError(-5, "boom"));
    assertThat(err(E_SYSTEM_POS)).isEqualTo(new OpteError.SystemError(132, ""));
    assertThat(err(E_INVALIDIPCFG).describe()).isEqualTo("InvalidIpCfg");
  }

  static final String SET_V4 = "00ac1e0005a84025f16e6ffd001122334401010000000000000001001e61";
  static final String SET_V6 =
      "01fd770000000000000000000000000005a84025000002fd001122334401020000000000000001ffffff";
  static final String CLEAR_V4 = "00ac1e000500000000000000000000000000000000000000000000001e61";
  static final String DUMP =
      "020000640000001e6102ac1e0005a84025f16e6ffd001122334401010000000000000001ac1e0006a84025f16e6ffd00112233440101000000000000000101fd770000000000000000000000000005a84025f16e6ffd001122334401010000000000000001";
  static final String PORTS =
      "02056f70746530a84025f16e6f01ac1e0005012d9ad80901022d9ad80a2d9ad80b01fd7700000000000000000000000000050001000772756e6e696e67056f70746531a8402500000200000001fd77000000000000000000000000000600010006706175736564";
  static final String CLEAR_UFT = "056f70746530";
  static final String NO_RESP = "00";
  static final String E_BADVER = "0029ac02";
  static final String E_BADLAYERPOS = "01026677056669727374";
  static final String E_BADNAME = "02";
  static final String E_BADSTATE = "0306706175736564";
  static final String E_DESERCMDREQ = "07154869742074686520656e64206f6620627566666572";
  static final String E_INVALIDROUTER = "0901fd00000000000000000000000000000040026967";
  static final String E_MACEXISTS = "0c056f70746530001e61a84025f16e6f";
  static final String E_MAXCAP = "0d8040";
  static final String E_NOREQBODY = "0e";
  static final String E_PORTNOTFOUND = "11056f70746539";
  static final String E_RESPTOOLARGE = "12f0a204808001";
  static final String E_RULENOTFOUND = "13ac02";
  static final String E_SYSTEM = "160904626f6f6d";
  static final String E_SYSTEM_POS = "16880200";
  static final String E_INVALIDIPCFG = "17";
}
