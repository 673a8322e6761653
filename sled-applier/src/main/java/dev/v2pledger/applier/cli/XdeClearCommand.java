package dev.v2pledger.applier.cli;

import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code xde clear}: ClearVirt2Phys, removes by (VNI, IP) whatever the entry points to. */
@Command(
    name = "clear",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Removes a VIP's entry (ClearVirt2Phys; a missing entry is not an error).")
final class XdeClearCommand implements Callable<Integer> {
  @ParentCommand XdeCommand parent;

  @Mixin XdeOptions options = new XdeOptions();

  @Option(names = "--vni", required = true, paramLabel = "N", description = "VNI, 0..16777215")
  Vni vni;

  @Option(names = "--ip", required = true, paramLabel = "IP", description = "the VIP, IPv4 or IPv6")
  IpAddr ip;

  @Override
  public Integer call() {
    return parent.withDevice(
        options,
        device -> {
          device.clear(new Vip(vni, ip));
          return 0;
        });
  }
}
