package dev.v2pledger.hardening.cli;

import dev.v2pledger.runtime.cli.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * One in-process run of a command through {@link Cli#run}, as {@code main} does, with the
 * environment given and both streams captured, bounded by a deadline: a command that accepted a bad
 * value and started working shows up as a run that did not end (its thread is abandoned; it is a
 * daemon).
 *
 * @param exit the exit code, or -1 when the run did not end within the deadline
 */
record CliRun(int exit, String out, String err, Duration took) {
  private static final ExecutorService RUNNERS =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "cli-run");
            thread.setDaemon(true);
            return thread;
          });

  static CliRun of(
      Function<Map<String, String>, Object> command,
      Map<String, String> env,
      List<String> args,
      Duration deadline) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    long start = System.nanoTime();
    Future<Integer> run =
        RUNNERS.submit(
            () ->
                Cli.run(
                    command.apply(env),
                    args.toArray(String[]::new),
                    env,
                    new PrintWriter(out, true),
                    new PrintWriter(err, true)));
    int exit;
    try {
      exit = run.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      exit = -1;
    } catch (ExecutionException e) {
      throw new AssertionError("Cli.run itself threw", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    return new CliRun(
        exit, out.toString(), err.toString(), Duration.ofNanos(System.nanoTime() - start));
  }

  /** What is wrong with this run as the answer to a bad value, or null when nothing is. */
  String problem(int expectedExit, String mention) {
    if (exit == -1) {
      return "did not end within " + took.toSeconds() + " s: the value was accepted?";
    }
    List<String> lines = err.lines().toList();
    if (exit != expectedExit) {
      return "exit " + exit + " (expected " + expectedExit + "), stderr: " + err.strip();
    }
    if (lines.size() != 1 || lines.get(0).isBlank()) {
      return lines.size() + " lines on stderr (expected one):\n" + err;
    }
    if (!lines.get(0).contains(mention)) {
      return "stderr does not mention '" + mention + "': " + lines.get(0);
    }
    return null;
  }
}
