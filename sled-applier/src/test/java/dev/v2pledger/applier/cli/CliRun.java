package dev.v2pledger.applier.cli;

import dev.v2pledger.runtime.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One in-process run of the jar's main command, with its exit code and both streams. */
record CliRun(int exit, String out, String err) {

  static CliRun of(String... args) {
    return withEnv(Map.of(), args);
  }

  static CliRun withEnv(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Cli.run(
            new SledApplierCommand(env),
            args,
            env,
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** stderr, which must be exactly one line. */
  String errLine() {
    String trimmed = err.strip();
    if (trimmed.isEmpty() || trimmed.contains("\n")) {
      throw new AssertionError("expected one line on stderr, got:\n" + err);
    }
    return trimmed;
  }
}
