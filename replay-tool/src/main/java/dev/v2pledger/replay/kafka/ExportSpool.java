package dev.v2pledger.replay.kafka;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;

/**
 * The directory an export spools into, beside its output (so the finished file is moved into place
 * atomically): {@code .export-*}, holding an {@code owner} file ({@code pid@host}) that says whose
 * it is. Closing deletes it; so does a stop by a signal (Ctrl-C, {@code kill}: a shutdown hook,
 * since the exporting thread's {@code finally} does not run then). What a {@code kill -9} or a
 * crash leaves, the next export in the same directory removes ({@link #sweep}): spools of this host
 * whose process is gone; spools of another host (a shared directory) or without an owner file are
 * left alone, as they may be in use, and so is a symbolic link named like one.
 */
final class ExportSpool implements AutoCloseable {
  static final String PREFIX = ".export-";
  static final String OWNER = "owner";

  private final Path dir;
  private final Thread onSignal;

  private ExportSpool(Path dir) {
    this.dir = dir;
    this.onSignal = new Thread(() -> delete(dir), "export-spool-cleanup");
    Runtime.getRuntime().addShutdownHook(onSignal);
  }

  /** A new spool in {@code parent}, owned by this process. */
  static ExportSpool create(Path parent) throws IOException {
    Path dir = Files.createTempDirectory(parent, PREFIX);
    try {
      Files.writeString(dir.resolve(OWNER), ProcessHandle.current().pid() + "@" + host());
    } catch (IOException e) {
      delete(dir);
      throw e;
    }
    return new ExportSpool(dir);
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
    try (DirectoryStream<Path> spools = Files.newDirectoryStream(parent, PREFIX + "*")) {
      for (Path spool : spools) {
        if (Files.isDirectory(spool, LinkOption.NOFOLLOW_LINKS) && abandoned(spool)) {
          delete(spool);
          removed++;
        }
      }
    }
    return removed;
  }

  private static boolean abandoned(Path spool) {
    String owner;
    try {
      owner = Files.readString(spool.resolve(OWNER), StandardCharsets.UTF_8).trim();
    } catch (IOException e) { // no owner file (being written, or not ours): left alone
      return false;
    }
    int at = owner.indexOf('@');
    if (at < 0 || !owner.substring(at + 1).equals(host())) {
      return false;
    }
    long pid;
    try {
      pid = Long.parseLong(owner.substring(0, at));
    } catch (NumberFormatException e) {
      return false;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    return process.isEmpty() || !process.get().isAlive();
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
