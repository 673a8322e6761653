package dev.v2pledger.hardening.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.runtime.cli.Cli;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * Runs every {@link BadValue} of a component in-process, each way it can be given (flag,
 * environment, config file), and checks the answer: exit code 2, exactly one line on stderr that
 * mentions the value, no stack trace, within a deadline (broker timeouts included).
 */
abstract class FlagsTestBase {
  /** Longer than any timeout the cases give (2 s), shorter than a run that started working. */
  static final Duration DEADLINE = Duration.ofSeconds(20);

  @TempDir static Path directory;

  /** A loopback port that is in use while the tests run (a bad value of the port options). */
  static ServerSocket busy;

  @BeforeAll
  static void occupyAPort() throws IOException {
    busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
  }

  @AfterAll
  static void freeThePort() throws IOException {
    busy.close();
  }

  /** The command of this component, reading {@code env}. */
  abstract Function<Map<String, String>, Object> command();

  /** Every bad value of every option of every command of this component. */
  abstract List<BadValue> badValues() throws IOException;

  @TestFactory
  Stream<DynamicTest> everyBadValueExitsTwoWithOneLineNamingIt() throws IOException {
    return badValues().stream()
        .flatMap(
            bad ->
                bad.vias().stream()
                    .map(via -> DynamicTest.dynamicTest(bad.describe(via), () -> check(bad, via))));
  }

  private void check(BadValue bad, Invocation.Via via) {
    Invocation.Run run = bad.invocation().bad(bad.option(), bad.value(), via, directory);
    CliRun result = CliRun.of(command(), run.env(), run.args(), DEADLINE);
    assertThat(result.problem(Cli.EXIT_USAGE, bad.mention()))
        .as("%s%n  args %s%n  env %s", bad.describe(via), run.args(), run.env())
        .isNull();
  }

  /**
   * {@code --help} reads cleanly: picocli prints each line of a command's header, description and
   * footer as given, wrapping one longer than the usage width; a paragraph given as one line wraps
   * well, but a line cut in the source wider than that leaves a fragment alone on the next line
   * (devstack run's help showed "projector(s)" so). Every command of this component: a line wider
   * than the width is a whole paragraph (it ends a sentence).
   */
  @Test
  void everyCommandsHelpLinesFitTheUsageWidth() {
    List<String> tooLong = new ArrayList<>();
    List<CommandLine> commands =
        new ArrayList<>(List.of(new CommandLine(command().apply(Map.of()))));
    for (int i = 0; i < commands.size(); i++) {
      CommandLine command = commands.get(i);
      commands.addAll(command.getSubcommands().values());
      UsageMessageSpec usage = command.getCommandSpec().usageMessage();
      Stream.of(usage.header(), usage.description(), usage.footer())
          .flatMap(Stream::of)
          .flatMap(element -> Stream.of(element.split("%n", -1)))
          .filter(line -> line.length() > usage.width() && !line.endsWith("."))
          .forEach(line -> tooLong.add(command.getCommandName() + ": " + line));
    }
    assertThat(tooLong).as("lines cut wider than the usage width").isEmpty();
  }

  static Path file(String name, String content) throws IOException {
    Path file = directory.resolve(name);
    Files.writeString(file, content);
    return file;
  }
}
