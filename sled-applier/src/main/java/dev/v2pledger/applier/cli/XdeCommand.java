package dev.v2pledger.applier.cli;

import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.ffi.XdeDevice;
import dev.v2pledger.applier.xde.ffi.XdeDeviceConfig;
import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.UsageException;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code xde [--xde-device PATH] [--xde-library PATH] (set | clear | dump | ports | clear-uft)}:
 * like opteadm.
 */
@Command(
    name = "xde",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description =
        "Reads and writes XDE's V2P table, lists its ports and clears their flow tables, through"
            + " the OPTE ioctl ABI (API version 41).",
    subcommands = {
      XdeSetCommand.class,
      XdeClearCommand.class,
      XdeDumpCommand.class,
      XdePortsCommand.class,
      XdeClearUftCommand.class
    })
public final class XdeCommand implements Callable<Integer> {
  @Mixin XdeOptions options = new XdeOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(), "say what to do: set, clear, dump, ports or clear-uft");
  }

  /**
   * Opens the device these options name and runs {@code work}; a device error becomes one line and
   * exit code 1, a bad {@code --xde-device} or {@code --xde-library} exit code 2.
   */
  <T> T withDevice(Function<XdeDevice, T> work) {
    XdeDeviceConfig config = options.config();
    try (XdeDevice device = XdeDevice.open(config)) {
      return work.apply(device);
    } catch (XdeException e) {
      throw new UsageException(e.getMessage(), Cli.EXIT_FAILURE, e);
    }
  }
}
