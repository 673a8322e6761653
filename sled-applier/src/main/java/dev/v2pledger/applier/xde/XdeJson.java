package dev.v2pledger.applier.xde;

import dev.v2pledger.schema.domain.IpAddr;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The JSON form of an XDE table, as {@code xde dump --json} prints it and the simulator's {@code
 * GET /xde} answers: an array of {@code {"vni":N,"ip":"...","mac":"aa:bb:..","underlay_ip":"..."}}
 * sorted by VNI then IP. And of XDE's ports, as {@code xde ports --json} prints them: an array of
 * objects with oxide-vpc's {@code PortInfo} field names, {@code null} where OPTE says None.
 */
public final class XdeJson {
  private XdeJson() {}

  /** Values are digits, IP and MAC text: nothing needs escaping. */
  public static String dump(List<XdeMapping> entries) {
    List<XdeMapping> sorted = new ArrayList<>(entries);
    Collections.sort(sorted);
    return array(sorted.stream().map(XdeJson::entry).toList());
  }

  /** The ports in the order given (XDE's), one object a line. */
  public static String ports(List<PortInfo> ports) {
    return array(ports.stream().map(XdeJson::port).toList());
  }

  /** {@code []}, or the objects one a line, indented. */
  private static String array(List<String> objects) {
    if (objects.isEmpty()) {
      return "[]";
    }
    return objects.stream().collect(Collectors.joining(",\n  ", "[\n  ", "\n]"));
  }

  /**
   * One port: {@code {"name":..,"mac_addr":..,"ip4_addr":..,"ephemeral_ip4_addr":..,
   * "floating_ip4_addrs":[..],"ip6_addr":..,"ephemeral_ip6_addr":..,"floating_ip6_addrs":[..],
   * "state":..}}.
   */
  public static String port(PortInfo p) {
    return "{\"name\":"
        + string(p.name())
        + ",\"mac_addr\":\""
        + p.mac()
        + "\""
        + addressFields("4", p.ip4(), p.ephemeralIp4(), p.floatingIp4s())
        + addressFields("6", p.ip6(), p.ephemeralIp6(), p.floatingIp6s())
        + ",\"state\":"
        + string(p.state())
        + "}";
  }

  /** {@code ,"ipN_addr":..,"ephemeral_ipN_addr":..,"floating_ipN_addrs":[..]} of one family. */
  private static String addressFields(
      String family,
      Optional<? extends IpAddr> ip,
      Optional<? extends IpAddr> ephemeral,
      Optional<? extends List<? extends IpAddr>> floating) {
    return String.format(
        ",\"ip%1$s_addr\":%2$s,\"ephemeral_ip%1$s_addr\":%3$s,\"floating_ip%1$s_addrs\":%4$s",
        family, address(ip), address(ephemeral), addresses(floating));
  }

  private static String address(Optional<? extends IpAddr> ip) {
    return ip.map(a -> "\"" + a + "\"").orElse("null");
  }

  private static String addresses(Optional<? extends List<? extends IpAddr>> ips) {
    return ips.map(
            l -> l.stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(",", "[", "]")))
        .orElse("null");
  }

  /** A JSON string: quotes, backslashes, control characters and line separators escaped. */
  static String string(String text) {
    StringBuilder out = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /** One entry: {@code {"vni":N,"ip":"...","mac":"...","underlay_ip":"..."}}. */
  public static String entry(XdeMapping e) {
    return "{\"vni\":"
        + e.vip().vni().value()
        + ",\"ip\":\""
        + e.vip().ip()
        + "\",\"mac\":\""
        + e.mac()
        + "\",\"underlay_ip\":\""
        + e.underlayIp()
        + "\"}";
  }
}
