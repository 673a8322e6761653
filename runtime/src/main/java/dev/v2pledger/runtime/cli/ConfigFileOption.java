package dev.v2pledger.runtime.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}: defaults for a command's options from a properties file, read by {@link
 * Cli} before the command runs ({@link ConfigDefaults}); declared so that help lists it (a picocli
 * mixin).
 */
public final class ConfigFileOption {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Defaults for these options (key = option name without dashes).")
  @Nullable Path config;
}
