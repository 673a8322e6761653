package dev.v2pledger.runtime.cli;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * How a {@code run} command lives: its component works on its own thread until a fatal error ends
 * it or a signal's shutdown hook closes it; either way what the command started is closed once, in
 * the order it was given.
 */
public final class UntilStopped {
  /** A component whose thread ends after a fatal error or once it is closed. */
  @FunctionalInterface
  public interface Running {
    /** Waits at most {@code timeout}; whether the component's thread has ended. */
    boolean awaitTermination(Duration timeout) throws InterruptedException;
  }

  private UntilStopped() {}

  /**
   * Waits until {@code running} ends, then closes {@code resources} in order (a null one is
   * skipped); on SIGTERM a shutdown hook named {@code hookName} closes them first, which ends
   * {@code running}.
   */
  public static void await(String hookName, Running running, @Nullable AutoCloseable... resources)
      throws InterruptedException {
    AtomicBoolean stopped = new AtomicBoolean();
    Runnable stop =
        () -> {
          if (stopped.compareAndSet(false, true)) {
            for (AutoCloseable resource : resources) {
              close(resource);
            }
          }
        };
    Runtime.getRuntime().addShutdownHook(new Thread(stop, hookName));
    while (!running.awaitTermination(Duration.ofSeconds(1))) {
      // runs until a signal closes it or a fatal error stops it
    }
    stop.run();
  }

  private static void close(@Nullable AutoCloseable resource) {
    if (resource == null) {
      return;
    }
    try {
      resource.close();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot close " + resource, e);
    }
  }
}
