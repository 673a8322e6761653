package dev.v2pledger.applier.cli;

import dev.v2pledger.applier.xde.XdeJson;
import dev.v2pledger.applier.xde.XdeMapping;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code xde dump [--json]}: DumpVirt2Phys, sorted by VNI then IP. */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Prints every V2P entry (DumpVirt2Phys), sorted by VNI then IP.")
final class XdeDumpCommand implements Callable<Integer> {
  @ParentCommand XdeCommand parent;

  @Mixin XdeOptions options = new XdeOptions();

  @Spec CommandSpec spec;

  @Option(
      names = "--json",
      description = "a JSON array of {\"vni\":N,\"ip\":..,\"mac\":..,\"underlay_ip\":..}")
  boolean json;

  @Override
  public Integer call() {
    List<XdeMapping> entries = new ArrayList<>(parent.withDevice(options, d -> d.dump()));
    Collections.sort(entries);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(XdeJson.dump(entries));
    } else {
      out.printf("%-8s  %-39s  %-17s  %s%n", "VNI", "IP", "MAC", "UNDERLAY");
      for (XdeMapping e : entries) {
        out.printf(
            "%-8s  %-39s  %-17s  %s%n", e.vip().vni(), e.vip().ip(), e.mac(), e.underlayIp());
      }
    }
    out.flush();
    return 0;
  }
}
