package dev.v2pledger.applier.cli;

import dev.v2pledger.applier.xde.ffi.XdeDevice;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What every {@code xde} verb shares: help and version, opening the device named by the options of
 * {@link XdeCommand} (inherited, so they are accepted after the verb as well as before it) with its
 * one-line errors ({@link XdeCommand#withDevice}) and printing.
 */
@Command(mixinStandardHelpOptions = true, versionProvider = Version.class)
abstract class XdeVerbCommand implements Callable<Integer> {
  @ParentCommand XdeCommand parent;

  @Spec CommandSpec spec;

  /** What {@code work} returns from the opened device. */
  final <T> T read(Function<XdeDevice, T> work) {
    return parent.withDevice(work);
  }

  /** Does {@code work} on the opened device; exit code 0. */
  final Integer change(Consumer<XdeDevice> work) {
    return read(
        device -> {
          work.accept(device);
          return 0;
        });
  }

  /** Prints {@code lines} on stdout; exit code 0. */
  final Integer print(Iterable<String> lines) {
    PrintWriter out = spec.commandLine().getOut();
    lines.forEach(out::println);
    out.flush();
    return 0;
  }
}
