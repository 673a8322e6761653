package dev.v2pledger.applier.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin VipOptions target = new VipOptions();

  @Override
  public Integer call() {
    return parent.withDevice(
        options,
        device -> {
          device.clear(target.vip());
          return 0;
        });
  }
}
