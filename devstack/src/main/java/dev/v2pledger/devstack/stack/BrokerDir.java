package dev.v2pledger.devstack.stack;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The embedded broker's directory, gone however the run ends: removed on {@link #close()}, and by a
 * shutdown hook when the JVM is stopped while the run holds it (Ctrl-C, SIGTERM from {@code
 * timeout} or {@code docker stop}), which would otherwise leave the broker's log directories (some
 * 800 MB of preallocated indexes, apparent size) in the temporary directory after every stopped
 * run. The hook stops the broker first, waiting at most {@link #STOP_WAIT} (a stop must not keep
 * the JVM from exiting), then deletes the directory.
 */
final class BrokerDir implements AutoCloseable {
  /** How long the hook waits for the broker to stop before it deletes the directory anyway. */
  static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private final Path path;
  private final Thread hook;
  private volatile @Nullable EmbeddedKafkaBroker broker;

  private BrokerDir(Path path) {
    this.path = path;
    this.hook = new Thread(this::onShutdown, "devstack-broker-cleanup");
  }

  /** A new temporary directory, removed when the JVM stops unless closed before. */
  static BrokerDir create() {
    Path path;
    try {
      path = Files.createTempDirectory("embedded-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for the broker", e);
    }
    BrokerDir dir = new BrokerDir(path);
    Runtime.getRuntime().addShutdownHook(dir.hook);
    return dir;
  }

  Path path() {
    return path;
  }

  /** The broker started on this directory: the hook stops it before deleting. */
  void holds(EmbeddedKafkaBroker started) {
    this.broker = started;
  }

  /** Stops the broker (if it is not closed yet) and deletes the directory; the hook's body. */
  void onShutdown() {
    EmbeddedKafkaBroker running = broker;
    if (running != null) {
      Thread stopping = new Thread(running::close, "devstack-broker-stop");
      stopping.setDaemon(true);
      stopping.start();
      try {
        stopping.join(STOP_WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    delete(path);
  }

  /** Deletes the directory (the broker is closed already) and withdraws the hook. */
  @Override
  public void close() {
    delete(path);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs or has run: it deletes the directory too
    }
  }

  private static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // a file the stopping broker still writes: what is left is small, and logged nowhere
    }
  }
}
