package dev.v2pledger.applier.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top command: {@code sled-applier xde ...} or {@code sled-applier run ...}. */
@Command(
    name = "sled-applier",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Keeps this sled's XDE V2P table equal to the projected mappings in Kafka.",
    subcommands = {XdeCommand.class, RunCommand.class})
public final class SledApplierCommand implements Callable<Integer> {
  final Map<String, String> env;

  @Spec CommandSpec spec;

  public SledApplierCommand(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "say what to do: xde or run");
  }
}
