package dev.v2pledger.hardening.fuzz;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * Runs one decode at a time on a worker thread, bounded by a deadline, and measures what it
 * allocated (the worker's allocated-bytes counter before and after) and how long it took. Anything
 * the decode throws, errors included, is caught and returned: the caller judges it.
 */
final class Guard implements AutoCloseable {
  private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** What one call did: its value or its error, what it allocated, how long it took. */
  record Outcome(@Nullable Object value, @Nullable Throwable error, long allocated, long nanos) {}

  /** One call did not return within the deadline. */
  static final class Hang extends RuntimeException {
    Hang(Duration deadline) {
      super("did not return within " + deadline.toMillis() + " ms");
    }
  }

  private final Duration deadline;
  private ExecutorService worker = newWorker();

  Guard(Duration deadline) {
    this.deadline = deadline;
  }

  Outcome call(Callable<?> decode) {
    Future<Outcome> future = worker.submit(() -> measured(decode));
    try {
      return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      worker.shutdownNow();
      worker = newWorker(); // the stuck thread is abandoned (daemon)
      throw new Hang(deadline);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the guard itself failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static Outcome measured(Callable<?> decode) {
    long thread = Thread.currentThread().getId();
    long allocatedBefore = THREADS.getThreadAllocatedBytes(thread);
    long start = System.nanoTime();
    Object value = null;
    Throwable error = null;
    try {
      value = decode.call();
    } catch (Throwable t) { // the top of the worker: the fuzz test judges every throwable
      error = t;
    }
    long nanos = System.nanoTime() - start;
    return new Outcome(
        value, error, THREADS.getThreadAllocatedBytes(thread) - allocatedBefore, nanos);
  }

  private static ExecutorService newWorker() {
    return Executors.newSingleThreadExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, "fuzz-decode");
          thread.setDaemon(true);
          return thread;
        });
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
