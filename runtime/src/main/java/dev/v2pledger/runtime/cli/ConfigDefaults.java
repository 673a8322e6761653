package dev.v2pledger.runtime.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option values that are not on the command line come from the environment, then from a properties
 * file, then from the option's default: {@code --bootstrap-servers} is {@code
 * V2P_BOOTSTRAP_SERVERS} in the environment and {@code bootstrap-servers} in the file. The file is
 * named by {@code --config FILE} (or {@code V2P_CONFIG}); a key in it that names no option is an
 * error, so a typo is never silently ignored.
 */
public final class ConfigDefaults implements IDefaultValueProvider {
  /** Environment prefix of option values. */
  public static final String ENV_PREFIX = "V2P_";

  private final Map<String, String> env;
  private final Properties file = new Properties();
  private final @Nullable Path path;

  public ConfigDefaults(Map<String, String> env, @Nullable Path path) {
    this.env = env;
    this.path = path;
    if (path != null) {
      try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
        file.load(reader);
      } catch (IOException | IllegalArgumentException e) {
        throw new UsageException(
            "cannot read --config " + path + ": " + UsageException.describeFileError(e));
      }
    }
  }

  /**
   * The config file named by {@code --config FILE}, {@code --config=FILE} or {@code V2P_CONFIG}.
   */
  public static @Nullable Path configFile(String[] args, Map<String, String> env) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return Path.of(args[i].substring("--config=".length()));
      }
    }
    String fromEnv = env.get(ENV_PREFIX + "CONFIG");
    return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
  }

  @Override
  public @Nullable String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option) || option.longestName().equals("--config")) {
      return null;
    }
    String key = key(option);
    String fromEnv = env.get(ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_'));
    if (fromEnv != null) {
      return fromEnv;
    }
    return file.getProperty(key);
  }

  /** Refuses keys of the config file that name no option of {@code commandLine} or below. */
  public void checkKeys(CommandLine commandLine) {
    Set<String> known = new TreeSet<>();
    collect(commandLine.getCommandSpec(), known);
    for (String name : file.stringPropertyNames()) {
      if (!known.contains(name)) {
        throw new UsageException(
            "--config " + path + ": '" + name + "' is not a setting (known: " + known + ")");
      }
    }
  }

  private static void collect(CommandSpec spec, Set<String> known) {
    for (OptionSpec option : spec.options()) {
      known.add(key(option));
    }
    spec.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), known));
  }

  private static String key(OptionSpec option) {
    String name = option.longestName();
    return name.startsWith("--") ? name.substring(2) : name.replaceFirst("^-+", "");
  }
}
