package dev.v2pledger.replay;

import dev.v2pledger.replay.cli.ReplayToolMain;
import dev.v2pledger.runtime.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs the replay tool's command line in-process and captures what it prints. */
public final class ToolRunner {
  /** What one run printed and returned. */
  public record Run(int exit, String out, String err) {}

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

  public static Path fixture(String name) {
    try {
      return Path.of(ToolRunner.class.getResource("/fixtures/" + name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
