package dev.v2pledger.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.domain.Vni;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class CliTest {
  @Command(name = "demo", mixinStandardHelpOptions = true)
  static class Demo implements Callable<Integer> {
    @Option(names = "--bootstrap-servers")
    String bootstrap;

    @Option(names = "--vni", defaultValue = "100")
    Vni vni;

    @Option(names = "--interval", defaultValue = "5s")
    Duration interval;

    @Option(names = "--config")
    Path config;

    @Option(names = "--report")
    Path report;

    @Option(names = "--fail")
    String fail;

    String seen;

    @Override
    public Integer call() {
      if ("usage".equals(fail)) {
        throw new UsageException("cannot reach broker x:1 within 10 s");
      }
      if ("bug".equals(fail)) {
        throw new IllegalStateException("boom\nsecond line");
      }
      seen = bootstrap + " " + vni + " " + interval;
      return 0;
    }
  }

  /** A tool with a command that takes settings and an operator's one-shot command that does not. */
  @Command(
      name = "tool",
      subcommands = {Tool.Serve.class, Tool.Clear.class},
      mixinStandardHelpOptions = true)
  static class Tool {
    @Command(name = "serve")
    static class Serve implements Callable<Integer> {
      @Option(names = "--config")
      Path config;

      @Option(names = "--name", required = true)
      String name;

      @Option(names = "--port", defaultValue = "1")
      int port;

      @Override
      public Integer call() {
        return port;
      }
    }

    @Command(name = "clear")
    static class Clear implements Callable<Integer> {
      @Option(names = "--vni")
      Vni vni;

      @Override
      public Integer call() {
        return vni == null ? 40 : 41;
      }
    }
  }

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Object demo, Map<String, String> env, String... args) {
    return Cli.run(demo, args, env, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void flagBeatsEnvironmentBeatsFileBeatsDefault(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("demo.properties");
    Files.writeString(file, "bootstrap-servers=file:1\nvni=7\ninterval=2m\n");
    Demo demo = new Demo();

    int code =
        run(demo, Map.of("V2P_VNI", "8"), "--config", file.toString(), "--interval", "250ms");

    assertThat(code).isZero();
    assertThat(demo.seen).isEqualTo("file:1 8 PT0.25S");
  }

  @Test
  void parseChecksALineAsRunWouldWithoutRunningIt() {
    Demo demo = new Demo();
    CommandLine.ParseResult parsed =
        Cli.parse(demo, new String[] {"--interval", "2m"}, Map.of("V2P_VNI", "9"));

    assertThat(parsed.hasMatchedOption("--interval")).isTrue();
    assertThat(demo.vni).isEqualTo(new Vni(9));
    assertThat(demo.seen).as("not run").isNull();
    assertThatThrownBy(() -> Cli.parse(new Demo(), new String[] {"--vni", "-1"}, Map.of()))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> Cli.parse(new Demo(), new String[] {"--no-such-flag"}, Map.of()))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--no-such-flag");
  }

  @Test
  void badValueIsOneLineNamingTheValueWithUsageExitCode() {
    int code = run(new Demo(), Map.of(), "--vni", "16777216");

    assertThat(code).isEqualTo(Cli.EXIT_USAGE);
    assertThat(err.toString().strip())
        .isEqualTo(
            "demo: Invalid value for option '--vni': VNI 16777216 is out of range 0..16777215 (see --help)")
        .doesNotContain("\n");
  }

  @Test
  void unknownFlagAndUnknownConfigKeyAreUsageErrors(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("demo.properties");
    Files.writeString(file, "bootstrap-server=typo:1\n");

    assertThat(run(new Demo(), Map.of(), "--frobnicate")).isEqualTo(Cli.EXIT_USAGE);
    assertThat(run(new Demo(), Map.of(), "--config", file.toString())).isEqualTo(Cli.EXIT_USAGE);
    assertThat(err.toString())
        .contains("Unknown option: '--frobnicate'")
        .contains("'bootstrap-server' is not a setting");
    assertThat(err.toString().strip().lines()).hasSize(2);
  }

  @Test
  void aConfigKeyIsASettingOfTheCommandRun_notOfAnotherOrOfHelp(@TempDir Path dir)
      throws Exception {
    Path other = dir.resolve("other.properties");
    Files.writeString(other, "vni=7\n"); // clear's option, not serve's
    Path help = dir.resolve("help.properties");
    Files.writeString(help, "help=true\n");
    Path fine = dir.resolve("fine.properties");
    Files.writeString(fine, "port=9\nname=x\n");

    assertThat(run(new Tool(), Map.of(), "serve", "--config", other.toString()))
        .isEqualTo(Cli.EXIT_USAGE);
    assertThat(run(new Tool(), Map.of(), "serve", "--config", help.toString()))
        .isEqualTo(Cli.EXIT_USAGE);
    assertThat(run(new Tool(), Map.of(), "serve", "--config", fine.toString())).isEqualTo(9);
    assertThat(err.toString().strip().lines())
        .containsExactly(
            "serve: --config "
                + other
                + ": 'vni' is not a setting of tool serve (its settings:"
                + " [name, port])",
            "serve: --config "
                + help
                + ": 'help' is not a setting of tool serve (its settings:"
                + " [name, port])");
  }

  @Test
  void anEmptyConfigPathIsRefusedByName() {
    assertThat(run(new Demo(), Map.of(), "--config", "")).isEqualTo(Cli.EXIT_USAGE);
    assertThat(run(new Demo(), Map.of(), "--config=")).isEqualTo(Cli.EXIT_USAGE);
    assertThat(err.toString().strip().lines())
        .containsExactly("demo: --config: the path is empty", "demo: --config: the path is empty");
  }

  /**
   * A required option the file was to give is missing because the file is bad: the file's problem
   * is named, not the option.
   */
  @Test
  void aBadConfigFileIsNamedRatherThanTheRequiredOptionItWasToGive(@TempDir Path dir)
      throws Exception {
    Path typo = Files.writeString(dir.resolve("typo.properties"), "nmae=x\n");
    Path missing = dir.resolve("missing.properties");

    assertThat(run(new Tool(), Map.of(), "serve", "--config", typo.toString()))
        .isEqualTo(Cli.EXIT_USAGE);
    assertThat(run(new Tool(), Map.of("V2P_CONFIG", missing.toString()), "serve"))
        .isEqualTo(Cli.EXIT_USAGE);
    assertThat(err.toString().strip().lines())
        .containsExactly(
            "serve: --config "
                + typo
                + ": 'nmae' is not a setting of tool serve (its settings:"
                + " [name, port])",
            "serve: cannot read --config " + missing + ": no such file");
    assertThatThrownBy(
            () ->
                Cli.parse(
                    new Tool(), new String[] {"serve", "--config", typo.toString()}, Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("'nmae' is not a setting");
  }

  /** A command with plain flags, as {@code replay-tool publish --append} or {@code --json}. */
  @Command(name = "flags", sortOptions = false)
  static class Flags implements Callable<Integer> {
    @Option(names = "--append")
    boolean append;

    @Option(names = "--json")
    boolean json;

    @Option(names = "--config")
    Path config;

    @Override
    public Integer call() {
      return (append ? 10 : 0) + (json ? 1 : 0);
    }
  }

  /**
   * A flag typed means true, whatever V2P_* or the file say: picocli sets a flag to the opposite of
   * its default, which for these commands is the environment's or the file's value.
   */
  @Test
  void aTypedFlagIsTrueEvenWhenTheEnvironmentOrTheFileAlreadySaysTrue(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("flags.properties");
    Files.writeString(file, "json=true\n");

    assertThat(run(new Flags(), Map.of("V2P_APPEND", "true"), "--append")).isEqualTo(10);
    assertThat(run(new Flags(), Map.of(), "--config", file.toString(), "--json")).isEqualTo(1);
    assertThat(run(new Flags(), Map.of("V2P_APPEND", "true"))).as("the env alone").isEqualTo(10);
    assertThat(run(new Flags(), Map.of("V2P_APPEND", "false"), "--append")).isEqualTo(10);
    assertThat(run(new Flags(), Map.of())).isZero();
    assertThat(err.toString()).isEmpty();
    StringWriter help = new StringWriter();
    new CommandLine(new Flags()).usage(new PrintWriter(help, true));
    assertThat(help.toString())
        .as("options keep their order")
        .containsSubsequence("--append", "--json", "--config");
  }

  /**
   * A value from V2P_* or the file is taken as typed, as the same value after its flag is: picocli
   * reads ${...} in default values as its variables (${sys:user.home}, ${env:HOME}).
   */
  @Test
  void aValueFromTheEnvironmentOrTheFileIsTakenLiterally(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("demo.properties");
    Files.writeString(file, "bootstrap-servers=${env:HOME}:1\n");
    Demo fromEnv = new Demo();
    Demo fromFile = new Demo();
    Demo fromFlag = new Demo();

    Demo escaped = new Demo();
    run(fromEnv, Map.of("V2P_BOOTSTRAP_SERVERS", "${sys:user.home}:1"));
    run(escaped, Map.of("V2P_BOOTSTRAP_SERVERS", "$${a}$$b$"));
    run(fromFile, Map.of(), "--config", file.toString());
    run(fromFlag, Map.of(), "--bootstrap-servers", "${sys:user.home}:1");

    assertThat(fromEnv.bootstrap).isEqualTo("${sys:user.home}:1");
    assertThat(fromFile.bootstrap).isEqualTo("${env:HOME}:1");
    assertThat(escaped.bootstrap).isEqualTo("$${a}$$b$");
    assertThat(fromFlag.bootstrap).isEqualTo("${sys:user.home}:1");
    assertThat(err.toString()).isEmpty();
  }

  /** An operator's one-shot command takes what is typed: nothing from V2P_* or V2P_CONFIG. */
  @Test
  void aCommandWithoutConfigTakesNothingFromTheEnvironment(@TempDir Path dir) {
    Map<String, String> env =
        Map.of("V2P_VNI", "7", "V2P_CONFIG", dir.resolve("missing.properties").toString());

    assertThat(run(new Tool(), env, "clear")).as("no VNI from V2P_VNI").isEqualTo(40);
    assertThat(run(new Tool(), env, "clear", "--vni", "7")).isEqualTo(41);
    assertThat(err.toString()).isEmpty();
    assertThat(run(new Tool(), env, "serve")).isEqualTo(Cli.EXIT_USAGE);
    assertThat(err.toString().strip()).startsWith("serve: cannot read --config ");
  }

  @Test
  void usageExceptionIsOneLineAndABugIsOneLineWithoutStackTrace() {
    assertThat(run(new Demo(), Map.of(), "--fail", "usage")).isEqualTo(Cli.EXIT_USAGE);
    assertThat(run(new Demo(), Map.of(), "--fail", "bug")).isEqualTo(Cli.EXIT_FAILURE);
    assertThat(err.toString().strip().lines())
        .containsExactly(
            "demo: cannot reach broker x:1 within 10 s",
            "demo: failed: IllegalStateException: boom; second line");
  }

  @Test
  void durationsAcceptShortAndIsoForms() {
    assertThat(Converters.duration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Converters.duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Converters.duration("PT5S")).isEqualTo(Duration.ofSeconds(5));
    assertThat(run(new Demo(), Map.of(), "--interval", "soon")).isEqualTo(Cli.EXIT_USAGE);
    assertThat(err.toString()).contains("'soon' is not a duration");
  }

  /**
   * A value in {@code V2P_*} or the {@code --config} file that does not convert does not hide the
   * help: picocli applies those defaults before it sees {@code --help}, and the command exited 2
   * with the conversion error, which an operator asking for help to fix it could not get past.
   */
  @Test
  void helpIsShownWhenAnEnvironmentOrFileValueDoesNotConvert(@TempDir Path dir) throws Exception {
    assertThat(run(new Demo(), Map.of("V2P_INTERVAL", "soon"), "--help")).isZero();
    assertThat(out.toString()).contains("Usage: demo").contains("--interval");
    assertThat(err.toString()).isEmpty();

    Path file = dir.resolve("demo.properties");
    Files.writeString(file, "interval=soon\n");
    assertThat(run(new Demo(), Map.of(), "--config", file.toString(), "-h")).isZero();
    assertThat(run(new Demo(), Map.of("V2P_INTERVAL", "soon"))).isEqualTo(Cli.EXIT_USAGE);
    assertThat(err.toString()).contains("'soon' is not a duration");
  }

  /** Path.of("") is the working directory: an empty name would be read as that directory. */
  @Test
  void anEmptyPathIsRefusedByName() {
    assertThat(run(new Demo(), Map.of(), "--report", " ")).isEqualTo(Cli.EXIT_USAGE);
    assertThat(err.toString().strip())
        .isEqualTo("demo: Invalid value for option '--report': an empty path (see --help)");
    Demo demo = new Demo();
    assertThat(run(demo, Map.of(), "--report", "out.json")).isZero();
    assertThat(demo.report).isEqualTo(Path.of("out.json"));
  }

  /** Found by the hardening module's CLI tests. */
  @Test
  void hugeDurationsAndBadTimeoutsAndMissingConfigFilesAreNamed(@TempDir Path dir) {
    assertThatThrownByMessage(() -> Converters.duration("99999999999999999999h"))
        .isEqualTo("'99999999999999999999h' is not a duration (too long)");
    assertThatThrownByMessage(() -> Converters.duration("106752d")) // nanoseconds would overflow
        .isEqualTo("'106752d' is more than 3650 days, the most any option takes");
    assertThat(Converters.duration("3650d")).isEqualTo(Converters.MAX_DURATION);
    assertThatThrownByMessage(() -> Converters.checkTimeout("--timeout", Duration.ZERO))
        .isEqualTo("--timeout must be between 1 ms and 24 days, got PT0S");
    assertThatThrownByMessage(() -> Converters.checkTimeout("--timeout", Duration.ofDays(30)))
        .endsWith("got PT720H");

    int exit = run(new Demo(), Map.of(), "--config", dir.resolve("nope.properties").toString());

    assertThat(exit).isEqualTo(Cli.EXIT_USAGE);
    assertThat(err.toString().strip()).endsWith("nope.properties: no such file");
    Path latin1 = dir.resolve("latin1.properties");
    try {
      Files.write(latin1, new byte[] {'v', 'n', 'i', '=', (byte) 0xE9});
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    err.getBuffer().setLength(0);
    assertThat(run(new Demo(), Map.of(), "--config", latin1.toString())).isEqualTo(Cli.EXIT_USAGE);
    assertThat(err.toString().strip()).endsWith("latin1.properties: not UTF-8 text");
  }

  /** Log4j answers a bad level with a stack trace when it starts: refused before it does. */
  @Test
  void aBadLogLevelInTheEnvironmentIsOneUsageLine() {
    int exit = run(new Demo(), Map.of("V2P_KAFKA_LOG_LEVEL", "bogus"), "--vni", "7");

    assertThat(exit).isEqualTo(Cli.EXIT_USAGE);
    assertThat(err.toString().strip())
        .isEqualTo(
            "demo: V2P_KAFKA_LOG_LEVEL: 'bogus' is not a log level (one of off, fatal, error, warn,"
                + " info, debug, trace, all)");
    assertThat(run(new Demo(), Map.of("V2P_LOG_LEVEL", "DEBUG"), "--vni", "7")).isZero();
  }

  /** A variable's value is quoted on the one line, whatever it holds (a line break, say). */
  @Test
  void aLogLevelWithALineBreakIsStillOneLine() {
    int exit = run(new Demo(), Map.of("V2P_LOG_LEVEL", "info\nwarn"), "--vni", "7");

    assertThat(exit).isEqualTo(Cli.EXIT_USAGE);
    assertThat(err.toString().strip().lines())
        .containsExactly(
            "demo: V2P_LOG_LEVEL: 'info?warn' is not a log level (one of off, fatal, error, warn,"
                + " info, debug, trace, all)");
  }

  private static AbstractStringAssert<?> assertThatThrownByMessage(
      ThrowableAssert.ThrowingCallable call) {
    return assertThat(Assertions.catchThrowable(call).getMessage());
  }
}
