package dev.v2pledger.runtime.cli;

import dev.v2pledger.runtime.kafka.KafkaErrors;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Runs a picocli command the way every v2p-ledger command behaves: values from flags, then {@code
 * V2P_*} environment variables, then a {@code --config} properties file; domain values converted
 * with the domain's messages; every mistake reported as ONE line on stderr with a non-zero exit
 * code; a stack trace only for bugs, and only with {@code V2P_DEBUG=1}.
 */
public final class Cli {
  /** Success. */
  public static final int EXIT_OK = 0;

  /** The command ran and failed (or, for checks, found a difference). */
  public static final int EXIT_FAILURE = 1;

  /** Bad flags or values, unreadable input: nothing was done. */
  public static final int EXIT_USAGE = 2;

  /**
   * The {@code split} of a comma-separated option ({@code split = Cli.COMMAS, splitSynopsisLabel =
   * ","}): every comma but a last one. picocli splits as {@link String#split} does, which drops the
   * empty items at the end, so with a plain {@code ","} the value {@code ","} would be an empty
   * list (an applier then excluding no VNI at all, the services VNI included) and {@code "1,"}
   * would be {@code [1]}; with this, both reach the converter whole and are refused.
   */
  public static final String COMMAS = ",(?!\\z)";

  private Cli() {}

  /** Runs {@code command} on the real environment and streams; returns the exit code. */
  public static int run(Object command, String... args) {
    return run(
        command,
        args,
        System.getenv(),
        new PrintWriter(System.out, true),
        new PrintWriter(System.err, true));
  }

  /** Runs {@code command}; for tests, the environment and streams are given. */
  public static int run(
      Object command, String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    CommandLine commandLine = new CommandLine(command);
    String name = commandLine.getCommandName();
    commandLine.setOut(out).setErr(err);
    ConfigDefaults defaults;
    try {
      defaults = configure(commandLine, args, env);
    } catch (UsageException e) {
      err.println(name + ": " + e.getMessage());
      return e.exitCode();
    }
    commandLine.setExecutionStrategy(
        parsed -> {
          CommandLine.ParseResult leaf = leaf(parsed);
          try {
            if (!helpRequested(parsed)) { // --help shows the help whatever the file holds
              defaults.checkKeys(leaf.commandSpec());
            }
          } catch (UsageException e) {
            err.println(leaf.commandSpec().name() + ": " + oneLine(e.getMessage()));
            return e.exitCode();
          }
          return new CommandLine.RunLast().execute(parsed);
        });
    commandLine.setParameterExceptionHandler(
        (ParameterException e, String[] given) -> {
          if (printedHelp(e.getCommandLine(), given)) { // a bad V2P_* or file value hides no help
            return EXIT_OK;
          }
          UsageException config = defaults.problem(e.getCommandLine().getCommandSpec());
          if (config != null) { // what the file was to give may be what is missing
            err.println(e.getCommandLine().getCommandName() + ": " + oneLine(config.getMessage()));
            return config.exitCode();
          }
          err.println(
              e.getCommandLine().getCommandName()
                  + ": "
                  + oneLine(e.getMessage())
                  + " (see --help)");
          return EXIT_USAGE;
        });
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          err.println(cmd.getCommandName() + ": " + failureLine(e));
          UsageException usage = usageCause(e);
          if (usage != null) {
            return usage.exitCode();
          }
          if ("1".equals(env.get("V2P_DEBUG"))) {
            e.printStackTrace(err);
          } else {
            // looked up here, not in a static field: the first logger starts Log4j (its
            // configuration, some 600 classes), which a command that never logs need not pay
            LoggerFactory.getLogger(Cli.class).debug("command failed", e);
          }
          return EXIT_FAILURE;
        });
    return commandLine.execute(args);
  }

  /**
   * Parses {@code args} for {@code command} exactly as {@link #run} would (converters, {@code
   * V2P_*} variables from {@code env}, {@code --config}) without running anything: whether a
   * command line written elsewhere (a compose file, a unit file) is one this build accepts.
   *
   * @throws ParameterException for a bad flag or value, naming it
   * @throws UsageException for a bad {@code --config} file or key
   */
  public static CommandLine.ParseResult parse(
      Object command, String[] args, Map<String, String> env) {
    CommandLine commandLine = new CommandLine(command);
    ConfigDefaults defaults = configure(commandLine, args, env);
    CommandLine.ParseResult parsed;
    try {
      parsed = commandLine.parseArgs(args);
    } catch (ParameterException e) {
      UsageException config = defaults.problem(e.getCommandLine().getCommandSpec());
      throw config != null ? config : e;
    }
    defaults.checkKeys(leaf(parsed).commandSpec());
    return parsed;
  }

  private static ConfigDefaults configure(
      CommandLine commandLine, String[] args, Map<String, String> env) {
    LogLevels.check(env);
    Converters.register(commandLine);
    flagsMeanTrue(commandLine, Collections.newSetFromMap(new IdentityHashMap<>()));
    ConfigDefaults defaults = new ConfigDefaults(env, ConfigDefaults.configFile(args, env));
    commandLine.setDefaultValueProvider(defaults);
    return defaults;
  }

  /**
   * Gives every boolean flag without a fallback value the fallback {@code true}, so that a flag
   * typed on the command line means true whatever its default. picocli sets a flag without one to
   * the opposite of its default, and the default of a command that takes settings is what {@code
   * V2P_*} or the config file says: {@code V2P_JSON=true} with {@code --json} would be false. The
   * options are added again in their order (help lists them so when a command does not sort them).
   */
  private static void flagsMeanTrue(CommandLine commandLine, Set<CommandLine> seen) {
    if (!seen.add(commandLine)) {
      return;
    }
    CommandSpec spec = commandLine.getCommandSpec();
    List<OptionSpec> options = new ArrayList<>(spec.options());
    int first = 0;
    while (first < options.size() && !needsFallback(options.get(first))) {
      first++;
    }
    if (first < options.size()) {
      List<OptionSpec> tail = options.subList(first, options.size());
      tail.forEach(spec::remove);
      for (OptionSpec option : tail) {
        spec.addOption(
            needsFallback(option) ? option.toBuilder().fallbackValue("true").build() : option);
      }
    }
    commandLine.getSubcommands().values().forEach(sub -> flagsMeanTrue(sub, seen));
  }

  private static boolean needsFallback(OptionSpec option) {
    return option.typeInfo().isBoolean()
        && option.arity().max() == 0
        && !option.usageHelp()
        && !option.versionHelp()
        && (option.fallbackValue() == null || option.fallbackValue().isEmpty());
  }

  /**
   * Prints {@code commandLine}'s help, or its version, when {@code args} ask for one: parsing
   * failed before picocli saw them (defaults from {@code V2P_*} or the file are converted first).
   */
  private static boolean printedHelp(CommandLine commandLine, String[] args) {
    List<String> given = List.of(args);
    for (OptionSpec option : commandLine.getCommandSpec().options()) {
      if ((option.usageHelp() || option.versionHelp())
          && Arrays.stream(option.names()).anyMatch(given::contains)) {
        if (option.usageHelp()) {
          commandLine.usage(commandLine.getOut());
        } else {
          commandLine.printVersionHelp(commandLine.getOut());
        }
        return true;
      }
    }
    return false;
  }

  private static boolean helpRequested(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
      if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
        return true;
      }
    }
    return false;
  }

  /** The subcommand a command line runs. */
  private static CommandLine.ParseResult leaf(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult leaf = parsed;
    while (leaf.subcommand() != null) {
      leaf = leaf.subcommand();
    }
    return leaf;
  }

  private static @Nullable UsageException usageCause(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof UsageException usage) {
        return usage;
      }
    }
    return null;
  }

  /**
   * The line a command that failed with {@code error} prints after its name: a usage error's
   * message (one in its cause chain), else "failed: " and the innermost cause's message.
   */
  public static String failureLine(Throwable error) {
    UsageException usage = usageCause(error);
    return usage != null
        ? oneLine(usage.getMessage())
        : "failed: " + oneLine(KafkaErrors.rootMessage(error));
  }

  /** {@code message} on one line: each line break, with the blanks around it, becomes "; ". */
  public static String oneLine(@Nullable String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
