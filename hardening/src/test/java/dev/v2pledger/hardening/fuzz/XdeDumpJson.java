package dev.v2pledger.hardening.fuzz;

import dev.v2pledger.applier.xde.XdeMapping;
import java.util.List;

/** The text {@code sled-applier xde dump --json} prints (its format, written here for seeds). */
final class XdeDumpJson {
  private XdeDumpJson() {}

  static String write(List<XdeMapping> entries) {
    StringBuilder out = new StringBuilder("[\n");
    for (int i = 0; i < entries.size(); i++) {
      XdeMapping e = entries.get(i);
      out.append("  {\"vni\":")
          .append(e.vip().vni().value())
          .append(",\"ip\":\"")
          .append(e.vip().ip())
          .append("\",\"mac\":\"")
          .append(e.mac())
          .append("\",\"underlay_ip\":\"")
          .append(e.underlayIp())
          .append("\"}")
          .append(i + 1 < entries.size() ? ",\n" : "\n");
    }
    return out.append(']').toString();
  }
}
