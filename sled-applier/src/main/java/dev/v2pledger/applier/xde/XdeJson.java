package dev.v2pledger.applier.xde;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The JSON form of an XDE table, as {@code xde dump --json} prints it and the simulator's {@code
 * GET /xde} answers: an array of {@code {"vni":N,"ip":"...","mac":"aa:bb:..","underlay_ip":"..."}}
 * sorted by VNI then IP.
 */
public final class XdeJson {
  private XdeJson() {}

  /** Values are digits, IP and MAC text: nothing needs escaping. */
  public static String dump(List<XdeMapping> entries) {
    List<XdeMapping> sorted = new ArrayList<>(entries);
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      return "[]";
    }
    StringBuilder out = new StringBuilder("[\n");
    for (int i = 0; i < sorted.size(); i++) {
      out.append("  ").append(entry(sorted.get(i))).append(i + 1 < sorted.size() ? ",\n" : "\n");
    }
    return out.append(']').toString();
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
