package dev.v2pledger.devstack.cli;

import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.UsageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
  private final boolean named;

  private RunLog(Path file, boolean named) {
    this.file = file;
    this.named = named;
  }

  /** A log at {@code file}; {@code named} when the operator chose it ({@code V2P_LOG_FILE}). */
  static RunLog at(Path file, boolean named) {
    return new RunLog(file, named);
  }

  /**
   * Sends every log line to {@code V2P_LOG_FILE}, or to a new file in the temporary directory.
   * Called once, first thing in {@code main}.
   *
   * @throws UsageException when {@code V2P_LOG_FILE} names a directory or a file that cannot be
   *     written
   */
  static RunLog redirect(Map<String, String> env) {
    String name = env.get("V2P_LOG_FILE");
    boolean named = name != null && !name.isBlank();
    Path file =
        named
            ? Path.of(name)
            : Path.of(
                System.getProperty("java.io.tmpdir"),
                "v2p-devstack-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                    + "-"
                    + ProcessHandle.current().pid()
                    + ".log");
    if (named) {
      writable(file);
    }
    System.setProperty(PROPERTY, file.toAbsolutePath().toString());
    try {
      Configurator.reconfigure(RunLog.class.getResource("/devstack-log4j2.xml").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("devstack-log4j2.xml has no URI", e);
    }
    return new RunLog(file.toAbsolutePath(), named);
  }

  /**
   * Deletes the file this process made when nothing was logged to it (a command refused for its
   * flags, {@code --help}): no empty file is left per invocation. A file the operator named stays.
   */
  void dropIfEmpty() {
    try {
      if (!named && Files.size(file) == 0) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // left as it is: the log is the run's, and a file that cannot be read is not ours to clean
    }
  }

  /**
   * Checks, before anything starts, that {@code file} can be the log: not a directory, and created
   * (with its missing parent directories, as Log4j would) or opened for writing. Log4j itself would
   * print dozens of lines of its own errors and let the run go on unlogged.
   *
   * @throws UsageException naming {@code V2P_LOG_FILE} and what is wrong, in one line
   */
  static void writable(Path file) {
    if (Files.isDirectory(file)) {
      throw new UsageException(
          "V2P_LOG_FILE: " + file + " is a directory; name a file", Cli.EXIT_USAGE);
    }
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      // opened as Log4j will open it (it truncates the file right after, append="false")
      Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
    } catch (FileAlreadyExistsException e) {
      throw new UsageException(
          "V2P_LOG_FILE: cannot create " + file + ": " + e.getFile() + " is not a directory",
          Cli.EXIT_USAGE);
    } catch (IOException | SecurityException e) {
      throw new UsageException(
          "V2P_LOG_FILE: cannot write "
              + file
              + ": "
              + (e instanceof IOException io
                  ? UsageException.describeFileError(io)
                  : e.getMessage()),
          Cli.EXIT_USAGE);
    }
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
