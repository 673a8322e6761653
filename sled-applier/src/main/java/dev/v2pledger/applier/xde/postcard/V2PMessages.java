package dev.v2pledger.applier.xde.postcard;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv4Addr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.List;

/**
 * The bodies of OPTE's V2P commands (API version 41), as postcard:
 *
 * <pre>
 * SetVirt2PhysReq / ClearVirt2PhysReq { vip: IpAddr, phys: PhysNet }
 * IpAddr            = Ip4([u8; 4]) | Ip6([u8; 16])
 * PhysNet           { ether: [u8; 6], ip: [u8; 16], vni: [u8; 3] (big-endian) }
 * DumpVirt2PhysResp { mappings: Vec&lt;VpcMapResp&gt; }
 * VpcMapResp        { vni: [u8; 3], ip4: Vec&lt;([u8; 4], GuestPhysAddr)&gt;,
 *                     ip6: Vec&lt;([u8; 16], GuestPhysAddr)&gt; }
 * GuestPhysAddr     { ether: [u8; 6], ip: [u8; 16] }
 * NoResp            { unused: u64 }
 * </pre>
 */
public final class V2PMessages {
  /** The longest set/clear request: IPv6 VIP (1 + 16) plus PhysNet (6 + 16 + 3). */
  public static final int MAX_REQUEST_BYTES = 42;

  private static final int GUEST_PHYS_BYTES = 6 + 16;
  private static final int VPC_MAP_MIN_BYTES = 3 + 1 + 1;
  private static final byte[] ZERO_MAC = new byte[6];
  private static final byte[] ZERO_IP6 = new byte[16];

  private V2PMessages() {}

  /** {@code SetVirt2PhysReq} for {@code mapping}. */
  public static byte[] setRequest(XdeMapping mapping) {
    return request(mapping.vip(), mapping.mac().toBytes(), mapping.underlayIp().toBytes());
  }

  /**
   * {@code ClearVirt2PhysReq} for {@code vip}. XDE removes by (VNI, VIP) and ignores the rest of
   * {@code phys}, so MAC and underlay are sent as zeros.
   */
  public static byte[] clearRequest(Vip vip) {
    return request(vip, ZERO_MAC, ZERO_IP6);
  }

  private static byte[] request(Vip vip, byte[] mac, byte[] underlay) {
    byte[] ip = vip.ip().toBytes();
    byte[] out = new byte[1 + ip.length + 6 + 16 + 3];
    int n = 0;
    out[n++] = (byte) (ip.length == 4 ? 0 : 1); // variant index < 128: a one-byte varint
    System.arraycopy(ip, 0, out, n, ip.length);
    n += ip.length;
    System.arraycopy(mac, 0, out, n, 6);
    n += 6;
    System.arraycopy(underlay, 0, out, n, 16);
    n += 16;
    putVni(vip.vni(), out, n);
    return out;
  }

  private static void putVni(Vni vni, byte[] out, int at) {
    int v = vni.value();
    out[at] = (byte) (v >>> 16);
    out[at + 1] = (byte) (v >>> 8);
    out[at + 2] = (byte) v;
  }

  /** Decodes a {@code SetVirt2PhysReq} or {@code ClearVirt2PhysReq} (tests and tools). */
  public static XdeMapping decodeRequest(byte[] bytes) {
    PostcardReader in = new PostcardReader(bytes);
    int family = in.variant("IpAddr", 2);
    byte[] ip = in.fixed(family == 0 ? 4 : 16, "vip");
    MacAddr mac = MacAddr.fromBytes(in.fixed(6, "phys.ether"));
    Ipv6Addr underlay = Ipv6Addr.fromBytes(in.fixed(16, "phys.ip"));
    Vni vni = vni(in, "phys.vni");
    in.expectEnd("Virt2PhysReq");
    return new XdeMapping(new Vip(vni, IpAddr.fromBytes(ip)), mac, underlay);
  }

  /** Decodes a {@code DumpVirt2PhysResp} of {@code length} bytes, in the device's order. */
  public static List<XdeMapping> decodeDump(byte[] bytes, int length) {
    PostcardReader in = new PostcardReader(bytes, length);
    int groups = in.length("mappings", VPC_MAP_MIN_BYTES);
    List<XdeMapping> out = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      Vni vni = vni(in, "mappings[" + g + "].vni");
      int ip4 = in.length("mappings[" + g + "].ip4", 4 + GUEST_PHYS_BYTES);
      for (int i = 0; i < ip4; i++) {
        out.add(entry(in, vni, 4));
      }
      int ip6 = in.length("mappings[" + g + "].ip6", 16 + GUEST_PHYS_BYTES);
      for (int i = 0; i < ip6; i++) {
        out.add(entry(in, vni, 16));
      }
    }
    in.expectEnd("DumpVirt2PhysResp");
    return out;
  }

  private static XdeMapping entry(PostcardReader in, Vni vni, int ipBytes) {
    byte[] ip = in.fixed(ipBytes, "vip");
    MacAddr mac = MacAddr.fromBytes(in.fixed(6, "ether"));
    Ipv6Addr underlay = Ipv6Addr.fromBytes(in.fixed(16, "ip"));
    IpAddr vip = ipBytes == 4 ? Ipv4Addr.fromBytes(ip) : Ipv6Addr.fromBytes(ip);
    return new XdeMapping(new Vip(vni, vip), mac, underlay);
  }

  /** Decodes {@code NoResp { unused: u64 }}, the answer of set and clear. */
  public static long decodeNoResp(byte[] bytes, int length) {
    PostcardReader in = new PostcardReader(bytes, length);
    long unused = in.varintU64("NoResp.unused");
    in.expectEnd("NoResp");
    return unused;
  }

  static Vni vni(PostcardReader in, String field) {
    byte[] b = in.fixed(3, field);
    return new Vni((b[0] & 0xFF) << 16 | (b[1] & 0xFF) << 8 | b[2] & 0xFF);
  }
}
