package dev.v2pledger.devstack.run;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Prints a progress line every {@link #INTERVAL} while a run goes on (to stderr: stdout is the
 * report's).
 */
final class Progress implements AutoCloseable {
  static final Duration INTERVAL = Duration.ofSeconds(2);

  private final @Nullable Thread thread;
  private volatile boolean running = true;

  Progress(@Nullable PrintStream out, Supplier<String> line) {
    if (out == null) {
      thread = null;
      return;
    }
    long start = System.nanoTime();
    thread =
        new Thread(
            () -> {
              while (running) {
                try {
                  Thread.sleep(INTERVAL.toMillis());
                } catch (InterruptedException e) {
                  return;
                }
                if (running) {
                  double elapsed = (System.nanoTime() - start) / 1e9;
                  String text;
                  try {
                    text = line.get();
                  } catch (RuntimeException e) { // Kafka's InterruptException too, from stop()
                    text = "(progress unavailable: " + e.getMessage() + ")";
                  }
                  if (running) { // stopped meanwhile: the report is being printed, say nothing
                    out.printf(Locale.ROOT, "[%6.1fs] %s%n", elapsed, text);
                  }
                }
              }
            },
            "devstack-progress");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() {
    stop();
  }

  /** Stops printing, and waits (up to 5 s) until a line being taken is given up. */
  void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
