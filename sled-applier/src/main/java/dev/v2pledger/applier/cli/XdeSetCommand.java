package dev.v2pledger.applier.cli;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code xde set}: SetVirt2Phys, an upsert by (VNI, IP). */
@Command(
    name = "set",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Maps a VIP to a guest MAC on a sled (SetVirt2Phys; overwrites).")
final class XdeSetCommand implements Callable<Integer> {
  @ParentCommand XdeCommand parent;

  @Mixin XdeOptions options = new XdeOptions();

  @Mixin VipOptions target = new VipOptions();

  @Option(
      names = "--mac",
      required = true,
      paramLabel = "MAC",
      description = "guest MAC, aa:bb:cc:dd:ee:ff")
  MacAddr mac;

  @Option(
      names = "--underlay",
      required = true,
      paramLabel = "IPV6",
      description = "the sled's underlay IPv6 address")
  Ipv6Addr underlay;

  @Override
  public Integer call() {
    XdeMapping mapping = new XdeMapping(target.vip(), mac, underlay);
    return parent.withDevice(
        options,
        device -> {
          device.set(mapping);
          return 0;
        });
  }
}
