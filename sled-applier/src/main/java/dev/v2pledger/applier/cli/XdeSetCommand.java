package dev.v2pledger.applier.cli;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code xde set}: SetVirt2Phys, an upsert by (VNI, IP). */
@Command(
    name = "set",
    description = "Maps a VIP to a guest MAC on a sled (SetVirt2Phys; overwrites).")
final class XdeSetCommand extends XdeVerbCommand {
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
    return change(device -> device.set(mapping));
  }
}
