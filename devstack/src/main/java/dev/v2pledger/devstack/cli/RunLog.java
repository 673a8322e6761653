package dev.v2pledger.devstack.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * The log file of a {@code devstack} process: every log line of the run (the embedded broker, the
 * projectors, the appliers, Kafka's clients) goes there, so the console keeps devstack's progress
 * and report; the run names the file and counts its warnings and errors at the end.
 */
final class RunLog {
  static final String PROPERTY = "v2p.devstack.log";

  private final Path file;

  private RunLog(Path file) {
    this.file = file;
  }

  /**
   * Sends every log line to {@code V2P_LOG_FILE}, or to a new file in the temporary directory.
   * Called once, first thing in {@code main}.
   */
  static RunLog redirect(Map<String, String> env) {
    String named = env.get("V2P_LOG_FILE");
    Path file =
        named != null && !named.isBlank()
            ? Path.of(named)
            : Path.of(
                System.getProperty("java.io.tmpdir"),
                "v2p-devstack-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                    + "-"
                    + ProcessHandle.current().pid()
                    + ".log");
    System.setProperty(PROPERTY, file.toAbsolutePath().toString());
    try {
      Configurator.reconfigure(RunLog.class.getResource("/devstack-log4j2.xml").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("devstack-log4j2.xml has no URI", e);
    }
    return new RunLog(file.toAbsolutePath());
  }

  Path file() {
    return file;
  }

  /** "logs: FILE (2 warnings, no errors)", counted now. */
  String summary() {
    long warnings = 0;
    long errors = 0;
    try (Stream<String> lines = Files.lines(file)) {
      for (String line : (Iterable<String>) lines::iterator) {
        if (line.contains(" WARN  [")) {
          warnings++;
        } else if (line.contains(" ERROR [")) {
          errors++;
        }
      }
    } catch (IOException | UncheckedIOException e) {
      return "logs: " + file + " (unreadable: " + e.getMessage() + ")";
    }
    return String.format(
        Locale.ROOT, "logs: %s (%s, %s)", file, count(warnings, "warning"), count(errors, "error"));
  }

  private static String count(long n, String what) {
    return n == 0 ? "no " + what + "s" : n + " " + what + (n == 1 ? "" : "s");
  }
}
