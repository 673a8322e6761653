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
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option values that are not on the command line come from the environment, then from a properties
 * file, then from the option's default: {@code --bootstrap-servers} is {@code
 * V2P_BOOTSTRAP_SERVERS} in the environment and {@code bootstrap-servers} in the file. The file is
 * named by {@code --config FILE} (or {@code V2P_CONFIG}); a key in it that names no option of the
 * command run is an error, so a typo, or a setting of another command, is never silently ignored.
 * Only commands that take {@code --config} (the daemons and the tools' commands) take values from
 * either: an operator's one-shot command such as {@code xde clear} takes what is typed, nothing
 * from the environment.
 */
public final class ConfigDefaults implements IDefaultValueProvider {
  /** Environment prefix of option values. */
  public static final String ENV_PREFIX = "V2P_";

  /** Options that are not settings: a config file cannot give them. */
  private static final Set<String> NOT_SETTINGS = Set.of("config", "help", "version");

  private final Map<String, String> env;
  private final @Nullable Path path;
  private @Nullable Properties file;
  private @Nullable UsageException unreadable;

  public ConfigDefaults(Map<String, String> env, @Nullable Path path) {
    this.env = env;
    this.path = path;
  }

  /**
   * The file's settings, read once; empty (and the error kept for {@link #checkKeys}) if
   * unreadable.
   */
  private Properties file() {
    if (file == null) {
      file = new Properties();
      if (path != null) {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
          file.load(reader);
        } catch (IOException | IllegalArgumentException e) {
          unreadable =
              new UsageException(
                  "cannot read --config " + path + ": " + UsageException.describeFileError(e));
        }
      }
    }
    return file;
  }

  /**
   * The config file named by {@code --config FILE}, {@code --config=FILE} or {@code V2P_CONFIG}.
   */
  public static @Nullable Path configFile(String[] args, Map<String, String> env) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return given(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return given(args[i].substring("--config=".length()));
      }
    }
    String fromEnv = env.get(ENV_PREFIX + "CONFIG");
    return fromEnv == null || fromEnv.isBlank() ? null : Path.of(fromEnv);
  }

  /** A path typed after {@code --config}: an empty one would be read as the working directory. */
  private static Path given(String path) {
    if (path.isBlank()) {
      throw new UsageException("--config: the path is empty");
    }
    return Path.of(path);
  }

  @Override
  public @Nullable String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option)
        || NOT_SETTINGS.contains(key(option))
        || !takesSettings(option.command())) {
      return null;
    }
    String key = key(option);
    String fromEnv = env.get(ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_'));
    return literal(fromEnv != null ? fromEnv : file().getProperty(key));
  }

  /**
   * {@code value} escaped for picocli, which reads {@code ${...}} in a default value as its
   * variable ({@code ${sys:user.home}}) and {@code $$} as {@code $}: a value from the environment
   * or the file is taken as typed, as it is after its flag.
   */
  private static @Nullable String literal(@Nullable String value) {
    return value == null ? null : value.replace("$", "$$");
  }

  /**
   * Once the command line is parsed, before the command runs: refuses a config file that cannot be
   * read or has a key that names no option of {@code command} (the subcommand run), when that
   * command takes settings at all.
   */
  public void checkKeys(CommandSpec command) {
    UsageException problem = problem(command);
    if (problem != null) {
      throw problem;
    }
  }

  /**
   * What {@link #checkKeys} would refuse for {@code command}, or null: a command line that does not
   * parse (a required option missing, say) may be missing what the config file was meant to give,
   * so the file's problem is the one to name.
   */
  public @Nullable UsageException problem(CommandSpec command) {
    if (!takesSettings(command)) {
      return null;
    }
    Properties settings = file();
    if (unreadable != null) {
      return unreadable;
    }
    Set<String> known = new TreeSet<>();
    for (CommandSpec spec = command; spec != null; spec = spec.parent()) {
      for (OptionSpec option : spec.options()) {
        known.add(key(option));
      }
    }
    known.removeAll(NOT_SETTINGS);
    for (String name : new TreeSet<>(settings.stringPropertyNames())) {
      if (!known.contains(name)) {
        return new UsageException(
            "--config "
                + path
                + ": '"
                + name
                + "' is not a setting of "
                + command.qualifiedName()
                + " (its settings: "
                + known
                + ")");
      }
    }
    return null;
  }

  /** Whether {@code command} takes option values from the environment and a config file. */
  private static boolean takesSettings(@Nullable CommandSpec command) {
    return command != null && command.findOption("--config") != null;
  }

  private static String key(OptionSpec option) {
    String name = option.longestName();
    return name.startsWith("--") ? name.substring(2) : name.replaceFirst("^-+", "");
  }
}
