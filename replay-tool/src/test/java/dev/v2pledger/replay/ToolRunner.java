package dev.v2pledger.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.replay.cli.ReplayToolMain;
import dev.v2pledger.runtime.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/** Runs the replay tool's command line in-process and captures what it prints. */
public final class ToolRunner {
  /** What one run printed and returned. */
  public record Run(int exit, String out, String err) {
    /** Exit code 2 (usage) with {@code line} as the one line on stderr. */
    public void assertUsageError(String line) {
      assertThat(exit).as(err).isEqualTo(2);
      assertThat(err.strip()).isEqualTo(line);
    }
  }

  private ToolRunner() {}

  public static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Cli.run(
            new ReplayToolMain(),
            args,
            Map.of(),
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  /**
   * {@code history --from-file file --ip 7777/172.30.0.1 --html html}: the page of the IP whose
   * races races.jsonl holds, read from {@code file}.
   */
  public static Run ipHistoryPage(Path file, Path html) {
    return run(
        "history",
        "--from-file",
        file.toString(),
        "--ip",
        "7777/172.30.0.1",
        "--html",
        html.toString());
  }

  public static Path fixture(String name) {
    try {
      return Path.of(ToolRunner.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
