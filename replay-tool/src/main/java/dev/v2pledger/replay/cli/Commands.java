package dev.v2pledger.replay.cli;

import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** Parsing shared by the commands. */
public final class Commands {
  private Commands() {}

  /**
   * A usage error (exit 2) unless {@code file} can be created where it is named: checked before any
   * work, so a typo in an output path does not cost a replay. A file that is not there yet is
   * created and deleted again: only that shows whether the file system takes its name (one longer
   * than 255 bytes, a directory such as {@code /proc}), which a look at the permissions does not.
   */
  public static void checkWritable(Path file) {
    checkWritable(file, false);
  }

  /**
   * As {@link #checkWritable(Path)}; {@code besideIt}: the file is written as a new file beside it
   * and moved over it (the directory must take a new file, whatever the file's own permissions).
   */
  public static void checkWritable(Path file, boolean besideIt) {
    Path parent = file.toAbsolutePath().getParent();
    if (Files.isDirectory(file)) {
      throw new UsageException("cannot write " + file + ": it is a directory");
    }
    if (parent == null || !Files.isDirectory(parent)) {
      throw new UsageException("cannot write " + file + ": no such directory " + parent);
    }
    if (besideIt && Files.exists(file) && !Files.isRegularFile(file)) { // a FIFO, /dev/stdout
      throw new UsageException(
          "cannot write "
              + file
              + ": it is not a regular file, and the output is written beside it and moved over"
              + " it: name a file");
    }
    if (!Files.exists(file)) {
      try {
        Files.delete(Files.createFile(file));
        return;
      } catch (FileAlreadyExistsException e) {
        // a symbolic link to a file not there yet: the write goes through it, the rule below holds
      } catch (IOException e) {
        throw new UsageException("cannot write " + file + ": " + whyNot(e));
      }
    }
    boolean writable =
        besideIt || !Files.exists(file) ? Files.isWritable(parent) : Files.isWritable(file);
    if (!writable) {
      throw new UsageException("cannot write " + file + ": permission denied");
    }
  }

  /** Why a file could not be created: the system's reason, without the path it repeats. */
  private static String whyNot(IOException e) {
    if (e instanceof FileSystemException fs
        && !(e instanceof AccessDeniedException)
        && fs.getReason() != null) {
      return fs.getReason();
    }
    return UsageException.describeFileError(e);
  }

  /**
   * A usage error when the output {@code out} (given as {@code option}) is the input file {@code
   * in}: writing it would destroy the evidence being read.
   */
  public static void checkNotInput(Path out, String option, @Nullable Path in) {
    if (in == null) {
      return;
    }
    boolean same;
    try {
      same =
          Files.exists(out) && Files.exists(in)
              ? Files.isSameFile(out, in)
              : out.toAbsolutePath().normalize().equals(in.toAbsolutePath().normalize());
    } catch (IOException e) {
      same = false; // unreadable: the read of the input reports it
    }
    if (same) {
      throw new UsageException(option + " " + out + " is the input file: it would be overwritten");
    }
  }

  /**
   * A usage error when {@code out} (given as {@code option}) is a non-empty file that does not
   * begin with {@code prefix} (what the command writes): an HTML page written before is replaced,
   * anything else (an export, an XDE dump: the evidence) is never overwritten.
   */
  public static void checkReplacesOnly(Path out, String option, String prefix) {
    if (!Files.isRegularFile(out)) {
      return; // not there yet (or not a file: checkWritable says so)
    }
    byte[] expected = prefix.getBytes(StandardCharsets.UTF_8);
    byte[] head;
    try (InputStream in = Files.newInputStream(out)) {
      head = in.readNBytes(expected.length);
    } catch (IOException e) {
      return; // unreadable: the write reports what is wrong
    }
    if (head.length > 0 && !Arrays.equals(head, expected)) {
      throw new UsageException(
          option
              + " "
              + out
              + " exists and is not a page this command wrote: not overwritten (remove it, or name"
              + " another file)");
    }
  }

  /** {@code VNI/IP}, e.g. {@code 7777/172.30.0.5}; a usage error otherwise. */
  public static Vip vip(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new UsageException("--ip: '" + text + "' is not VNI/IP (e.g. 7777/172.30.0.5)");
    }
    try {
      return new Vip(Vni.parse(text.substring(0, slash)), IpAddr.parse(text.substring(slash + 1)));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--ip: " + e.getMessage());
    }
  }
}
