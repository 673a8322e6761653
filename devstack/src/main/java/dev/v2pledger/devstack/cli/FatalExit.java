package dev.v2pledger.devstack.cli;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.runtime.cli.Cli;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;
import org.apache.kafka.common.utils.internals.Exit;
import org.jspecify.annotations.Nullable;

/**
 * The one line a run prints when the embedded Kafka broker ends the process. On a fatal fault (its
 * Raft I/O thread failing, say, when the process runs out of file descriptors) the broker calls
 * Kafka's {@code Exit.halt(1)}, which stops the JVM at once: no exception reaches the command, so
 * without this the run ended with status 1 and nothing on the console but its progress lines.
 * Installed by {@code main} only: in-process callers (tests) keep Kafka's own procedures.
 */
final class FatalExit {
  private FatalExit() {}

  /**
   * Routes Kafka's halt and exit through one line on {@code err}, naming {@code log} (where the
   * broker wrote why), then {@code halt} or {@code exit} with the broker's status; the line is
   * printed once, however many threads hit a fault, and not for status 0 (not a failure). Before a
   * halt, the embedded broker's directory is removed, as its exit hook would on an exit.
   */
  static void install(PrintStream err, @Nullable RunLog log, IntConsumer halt, IntConsumer exit) {
    AtomicBoolean said = new AtomicBoolean();
    Exit.setHaltProcedure(
        (status, message) -> {
          say(err, log, status, message, said);
          EmbeddedKafkaBroker.removeDirectoriesBeforeHalt(); // a halt runs no exit hook
          halt.accept(status);
        });
    Exit.setExitProcedure(
        (status, message) -> {
          say(err, log, status, message, said);
          exit.accept(status);
        });
  }

  private static void say(
      PrintStream err,
      @Nullable RunLog log,
      int status,
      @Nullable String message,
      AtomicBoolean said) {
    if (status == 0 || said.getAndSet(true)) {
      return;
    }
    err.println(line(status, message, log));
    err.flush();
  }

  /** "run: failed: the embedded Kafka broker stopped the process (status 1) ...". */
  static String line(int status, @Nullable String message, @Nullable RunLog log) {
    return "run: failed: the embedded Kafka broker stopped the process (status "
        + status
        + ")"
        + (message == null || message.isBlank() ? "" : ": " + Cli.oneLine(message))
        + (log == null ? "" : "; why is in " + log.file());
  }
}
