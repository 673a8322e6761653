package dev.v2pledger.applier.cli;

import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeJson;
import dev.v2pledger.schema.domain.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xde ports [--json]}: ListPorts, in XDE's order (by VNI, then MAC). */
@Command(
    name = "ports",
    description = "Lists XDE's ports (ListPorts), in XDE's order (by VNI, then MAC).")
final class XdePortsCommand extends XdeVerbCommand {
  private static final List<String> HEADER =
      List.of(
          "NAME",
          "MAC",
          "IPV4",
          "EPHEMERAL_IPV4",
          "FLOATING_IPV4",
          "IPV6",
          "EPHEMERAL_IPV6",
          "FLOATING_IPV6",
          "STATE");

  @Option(
      names = "--json",
      description =
          "a JSON array of {\"name\":..,\"mac_addr\":..,\"ip4_addr\":..,\"ephemeral_ip4_addr\":..,"
              + "\"floating_ip4_addrs\":[..],\"ip6_addr\":..,...,\"state\":..} (OPTE's names;"
              + " null where OPTE says None)")
  boolean json;

  @Override
  public Integer call() {
    List<PortInfo> ports = read(Xde::listPorts);
    return print(json ? List.of(XdeJson.ports(ports)) : table(ports));
  }

  /** A header and one row per port, columns padded to their widest cell; "-" for none. */
  static List<String> table(List<PortInfo> ports) {
    List<List<String>> rows = new ArrayList<>();
    rows.add(HEADER);
    for (PortInfo p : ports) {
      rows.add(
          List.of(
              Values.printable(p.name(), 64),
              p.mac().toString(),
              text(p.ip4()),
              text(p.ephemeralIp4()),
              list(p.floatingIp4s()),
              text(p.ip6()),
              text(p.ephemeralIp6()),
              list(p.floatingIp6s()),
              Values.printable(p.state(), 64)));
    }
    int[] widths = new int[HEADER.size()];
    rows.forEach(row -> widen(widths, row));
    List<String> lines = new ArrayList<>();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(
            i + 1 < row.size() ? String.format("%-" + widths[i] + "s  ", row.get(i)) : row.get(i));
      }
      lines.add(line.toString());
    }
    return lines;
  }

  private static void widen(int[] widths, List<String> row) {
    for (int i = 0; i < row.size(); i++) {
      widths[i] = Math.max(widths[i], row.get(i).length());
    }
  }

  private static String text(Optional<?> value) {
    return value.map(Object::toString).orElse("-");
  }

  private static String list(Optional<? extends List<?>> values) {
    return values
        .filter(l -> !l.isEmpty())
        .map(l -> l.stream().map(Object::toString).collect(Collectors.joining(",")))
        .orElse("-");
  }
}
