package dev.v2pledger.applier.xde.postcard;

import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv4Addr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The bodies of OPTE's port commands (API version 41), as postcard:
 *
 * <pre>
 * ListPorts (1)   no request body
 * ListPortsResp   { ports: Vec&lt;PortInfo&gt; }
 * PortInfo        { name: String, mac_addr: [u8; 6],
 *                   ip4_addr: Option&lt;[u8; 4]&gt;, ephemeral_ip4_addr: Option&lt;[u8; 4]&gt;,
 *                   floating_ip4_addrs: Option&lt;Vec&lt;[u8; 4]&gt;&gt;,
 *                   ip6_addr: Option&lt;[u8; 16]&gt;, ephemeral_ip6_addr: Option&lt;[u8; 16]&gt;,
 *                   floating_ip6_addrs: Option&lt;Vec&lt;[u8; 16]&gt;&gt;, state: String }
 * ClearUft (40)   ClearUftReq { port_name: String }, answered by NoResp { unused: u64 }
 * </pre>
 *
 * A {@code String} is a varint byte length then UTF-8; an {@code Option} is {@code 00}, or {@code
 * 01} then the value.
 */
public final class PortMessages {
  /** The least a {@code PortInfo} takes: two empty strings, the MAC and six None tags. */
  static final int PORT_INFO_MIN_BYTES = 1 + 6 + 6 + 1;

  private PortMessages() {}

  /** {@code ClearUftReq { port_name }}. */
  public static byte[] clearUftRequest(String portName) {
    return new PostcardWriter(8 + portName.length()).string(portName).toByteArray();
  }

  /** Decodes a {@code ClearUftReq} (tests and tools); returns the port name. */
  public static String decodeClearUftRequest(byte[] bytes) {
    PostcardReader in = new PostcardReader(bytes);
    String name = in.string("port_name");
    in.expectEnd("ClearUftReq");
    return name;
  }

  /** Decodes a {@code ListPortsResp} of {@code length} bytes, in the device's order. */
  public static List<PortInfo> decodeListPorts(byte[] bytes, int length) {
    PostcardReader in = new PostcardReader(bytes, length);
    int count = in.length("ports", PORT_INFO_MIN_BYTES);
    List<PortInfo> ports = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ports.add(port(in, "ports[" + i + "]"));
    }
    in.expectEnd("ListPortsResp");
    return ports;
  }

  private static PortInfo port(PostcardReader in, String at) {
    int start = in.position();
    String name = in.string(at + ".name");
    MacAddr mac = MacAddr.fromBytes(in.fixed(6, at + ".mac_addr"));
    Optional<Ipv4Addr> ip4 = option(in, at + ".ip4_addr", f -> v4(in, f));
    Optional<Ipv4Addr> ephemeralIp4 = option(in, at + ".ephemeral_ip4_addr", f -> v4(in, f));
    Optional<List<Ipv4Addr>> floatingIp4s =
        option(in, at + ".floating_ip4_addrs", f -> list(in, f, 4, g -> v4(in, g)));
    Optional<Ipv6Addr> ip6 = option(in, at + ".ip6_addr", f -> v6(in, f));
    Optional<Ipv6Addr> ephemeralIp6 = option(in, at + ".ephemeral_ip6_addr", f -> v6(in, f));
    Optional<List<Ipv6Addr>> floatingIp6s =
        option(in, at + ".floating_ip6_addrs", f -> list(in, f, 16, g -> v6(in, g)));
    String state = in.string(at + ".state");
    try {
      return new PortInfo(
          name, mac, ip4, ephemeralIp4, floatingIp4s, ip6, ephemeralIp6, floatingIp6s, state);
    } catch (IllegalArgumentException e) {
      throw new PostcardException(start, at + ": " + e.getMessage());
    }
  }

  private static <T> Optional<T> option(
      PostcardReader in, String field, Function<String, T> value) {
    return in.option(field) ? Optional.of(value.apply(field)) : Optional.empty();
  }

  private static <T> List<T> list(
      PostcardReader in, String field, int elementBytes, Function<String, T> element) {
    int n = in.length(field, elementBytes);
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(element.apply(field + "[" + i + "]"));
    }
    return out;
  }

  private static Ipv4Addr v4(PostcardReader in, String field) {
    return Ipv4Addr.fromBytes(in.fixed(4, field));
  }

  private static Ipv6Addr v6(PostcardReader in, String field) {
    return Ipv6Addr.fromBytes(in.fixed(16, field));
  }

  /** Encodes a {@code ListPortsResp}; used by tests and simulators that answer like the kernel. */
  public static byte[] listPortsResponse(List<PortInfo> ports) {
    PostcardWriter out = new PostcardWriter(16 + 64 * ports.size()).length(ports.size());
    for (PortInfo p : ports) {
      out.string(p.name()).fixed(p.mac().toBytes());
      address(out, p.ip4());
      address(out, p.ephemeralIp4());
      addresses(out, p.floatingIp4s());
      address(out, p.ip6());
      address(out, p.ephemeralIp6());
      addresses(out, p.floatingIp6s());
      out.string(p.state());
    }
    return out.toByteArray();
  }

  private static void address(PostcardWriter out, Optional<? extends IpAddr> ip) {
    out.option(ip.isPresent());
    ip.ifPresent(a -> out.fixed(a.toBytes()));
  }

  private static void addresses(
      PostcardWriter out, Optional<? extends List<? extends IpAddr>> ips) {
    out.option(ips.isPresent());
    ips.ifPresent(
        list -> {
          out.length(list.size());
          list.forEach(a -> out.fixed(a.toBytes()));
        });
  }
}
