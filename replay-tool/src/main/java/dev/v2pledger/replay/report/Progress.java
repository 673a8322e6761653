package dev.v2pledger.replay.report;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.DoubleSupplier;

/**
 * A one-line progress bar on stderr, shown only when stderr is a terminal and only once a replay
 * has run for a few seconds; redrawn at most a few times a second.
 */
public final class Progress implements AutoCloseable {
  private static final Duration SHOW_AFTER = Duration.ofSeconds(2);
  private static final long REDRAW_MS = 200;
  private static final int WIDTH = 30;

  private final PrintStream err;
  private final boolean enabled;
  private final Clock clock;
  private final Instant start;
  private final DoubleSupplier fraction;
  private long lastDraw;
  private boolean drawn;

  /**
   * @param fraction how much is done, 0..1, or a negative number when unknown
   */
  public Progress(PrintStream err, boolean enabled, Clock clock, DoubleSupplier fraction) {
    this.err = err;
    this.enabled = enabled;
    this.clock = clock;
    this.start = clock.instant();
    this.fraction = fraction;
  }

  /** A progress bar on {@code System.err} if it is a terminal. */
  public static Progress onStderr(DoubleSupplier fraction) {
    return new Progress(System.err, stderrIsTerminal(), Clock.systemUTC(), fraction);
  }

  /** Whether stderr is a terminal (Linux: fd 2 is a tty; elsewhere: the JVM has a console). */
  public static boolean stderrIsTerminal() {
    try {
      Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/2"));
      String name = target.toString();
      return name.startsWith("/dev/pts/") || name.startsWith("/dev/tty");
    } catch (Exception e) {
      return System.console() != null;
    }
  }

  /** Called as work proceeds, with the number of events so far. */
  public void tick(long events) {
    if (!enabled) {
      return;
    }
    long now = clock.millis();
    if (now - start.toEpochMilli() < SHOW_AFTER.toMillis() || now - lastDraw < REDRAW_MS) {
      return;
    }
    lastDraw = now;
    drawn = true;
    double seconds = Math.max(0.001, (now - start.toEpochMilli()) / 1000.0);
    double done = fraction.getAsDouble();
    String bar = done < 0 ? "" : bar(done) + String.format(" %3.0f%% ", done * 100);
    err.print(String.format("\r%s%,d events, %,.0f/s   ", bar, events, events / seconds));
    err.flush();
  }

  static String bar(double done) {
    int filled = (int) Math.round(Math.max(0, Math.min(1, done)) * WIDTH);
    return "[" + "=".repeat(filled) + " ".repeat(WIDTH - filled) + "]";
  }

  @Override
  public void close() {
    if (drawn) {
      err.print("\r" + " ".repeat(WIDTH + 50) + "\r");
      err.flush();
    }
  }
}
