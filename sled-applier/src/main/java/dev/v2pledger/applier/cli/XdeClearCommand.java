package dev.v2pledger.applier.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code xde clear}: ClearVirt2Phys, removes by (VNI, IP) whatever the entry points to. */
@Command(
    name = "clear",
    description = "Removes a VIP's entry (ClearVirt2Phys; a missing entry is not an error).")
final class XdeClearCommand extends XdeVerbCommand {
  @Mixin VipOptions target = new VipOptions();

  @Override
  public Integer call() {
    return change(device -> device.clear(target.vip()));
  }
}
