package dev.v2pledger.applier.cli;

import dev.v2pledger.applier.xde.XdeJson;
import dev.v2pledger.applier.xde.XdeMapping;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code xde dump [--json]}: DumpVirt2Phys, sorted by VNI then IP. */
@Command(
    name = "dump",
    description = "Prints every V2P entry (DumpVirt2Phys), sorted by VNI then IP.")
final class XdeDumpCommand extends XdeVerbCommand {
  private static final String ROW = "%-8s  %-39s  %-17s  %s";

  @Option(
      names = "--json",
      description = "a JSON array of {\"vni\":N,\"ip\":..,\"mac\":..,\"underlay_ip\":..}")
  boolean json;

  @Override
  public Integer call() {
    List<XdeMapping> entries = new ArrayList<>(read(d -> d.dump()));
    Collections.sort(entries);
    if (json) {
      return print(List.of(XdeJson.dump(entries)));
    }
    List<String> lines = new ArrayList<>();
    lines.add(String.format(ROW, "VNI", "IP", "MAC", "UNDERLAY"));
    for (XdeMapping e : entries) {
      lines.add(String.format(ROW, e.vip().vni(), e.vip().ip(), e.mac(), e.underlayIp()));
    }
    return print(lines);
  }
}
