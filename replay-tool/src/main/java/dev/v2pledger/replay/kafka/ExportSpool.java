package dev.v2pledger.replay.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The directory an export spools into, beside its output (so the finished file is moved into place
 * atomically): {@code .export-*}, holding an {@code owner} file ({@code pid@host}) that says whose
 * it is. Closing deletes it; so does a stop by a signal (Ctrl-C, {@code kill}: a shutdown hook,
 * since the exporting thread's {@code finally} does not run then). What a {@code kill -9} or a
 * crash leaves, the next export in the same directory removes ({@link #sweep}): spools of this host
 * whose process is gone and whose owner file is not locked; spools of another host (a shared
 * directory) or without an owner file are left alone, as they may be in use, and so is a symbolic
 * link named like one. The export holds a lock on its owner file while it lives (the system
 * releases it when the process ends, by {@code kill -9} too): a pid names a process only in its own
 * PID namespace, so containers that share the directory and the hostname would take one another's
 * live exports for gone by the pid alone. Where the file system has no locks, the export goes on
 * without one and the sweep removes nothing.
 */
final class ExportSpool implements AutoCloseable {
  static final String PREFIX = ".export-";
  static final String OWNER = "owner";

  private final Path dir;
  private final FileChannel owner;
  private final Thread onSignal;

  private ExportSpool(Path dir, FileChannel owner) {
    this.dir = dir;
    this.owner = owner;
    this.onSignal = new Thread(() -> delete(dir), "export-spool-cleanup");
    Runtime.getRuntime().addShutdownHook(onSignal);
  }

  /** A new spool in {@code parent}, owned by this process. */
  static ExportSpool create(Path parent) throws IOException {
    Path dir = Files.createTempDirectory(parent, PREFIX);
    FileChannel owner = null;
    try {
      owner =
          FileChannel.open(
              dir.resolve(OWNER), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      lock(owner); // before it says whose it is: a sweep never finds it named and unlocked
      owner.write(ByteBuffer.wrap(ownerName(host()).getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      closeQuietly(owner);
      delete(dir);
      throw e;
    }
    return new ExportSpool(dir, owner);
  }

  /**
   * Locks {@code owner} for as long as this process holds it open; where locks fail, it stays
   * unlocked and the sweep leaves it.
   */
  private static void lock(FileChannel owner) {
    try {
      owner.tryLock();
    } catch (IOException e) {
      // no locks on this file system
    }
  }

  /** What an owner file of this process on {@code host} says. */
  private static String ownerName(String host) {
    return ProcessHandle.current().pid() + "@" + host;
  }

  Path dir() {
    return dir;
  }

  /**
   * Removes the spools in {@code parent} that exports of this host left when they were killed
   * (their process is gone); returns how many.
   */
  static int sweep(Path parent) throws IOException {
    int removed = 0;
    String host = host();
    try (DirectoryStream<Path> spools = Files.newDirectoryStream(parent, PREFIX + "*")) {
      for (Path spool : spools) {
        if (Files.isDirectory(spool, LinkOption.NOFOLLOW_LINKS) && abandoned(spool, host)) {
          delete(spool);
          removed++;
        }
      }
    }
    return removed;
  }

  /** Whether {@code spool} is one an export on {@code host} (this one) left when it was killed. */
  private static boolean abandoned(Path spool, String host) {
    String owner;
    try {
      owner = Files.readString(spool.resolve(OWNER), StandardCharsets.UTF_8).trim();
    } catch (IOException e) { // no owner file (being written, or not ours): left alone
      return false;
    }
    int at = owner.indexOf('@');
    if (at < 0 || !owner.substring(at + 1).equals(host)) {
      return false;
    }
    long pid;
    try {
      pid = Long.parseLong(owner.substring(0, at));
    } catch (NumberFormatException e) {
      return false;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    return (process.isEmpty() || !process.get().isAlive()) && unlocked(spool.resolve(OWNER));
  }

  /**
   * Whether no process holds {@code owner}'s lock (its export ended): false when one does (in this
   * JVM too), or when locks cannot be taken here.
   */
  private static boolean unlocked(Path owner) {
    try (FileChannel channel =
        FileChannel.open(owner, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true);
      if (lock == null) {
        return false;
      }
      lock.release();
      return true;
    } catch (IOException | OverlappingFileLockException e) {
      return false;
    }
  }

  private static void closeQuietly(@Nullable FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // the lock goes with the process at the latest
      }
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  @Override
  public void close() {
    delete(dir);
    closeQuietly(owner);
    try {
      Runtime.getRuntime().removeShutdownHook(onSignal);
    } catch (IllegalStateException e) {
      // shutting down already: the hook deletes it (again, harmlessly)
    }
  }

  private static void delete(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: what is left, the next export in this directory removes
    }
  }
}
