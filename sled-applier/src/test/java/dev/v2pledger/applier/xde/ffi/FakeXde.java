package dev.v2pledger.applier.xde.ffi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jnr.ffi.LibraryLoader;

/**
 * The stand-in XDE kernel of {@code src/test/c/fake_xde.c}: compiled with gcc into {@code
 * target/native/} the first time a JVM asks for it (again whenever the source is newer), and
 * controlled through its {@code fakexde_*} functions. A fresh machine needs only gcc.
 */
public final class FakeXde {
  private static final String SOURCE = "src/test/c/fake_xde.c";
  private static Path library;
  private static Control control;

  private FakeXde() {}

  /** The test controls exported by the library ({@code fakexde_*}). */
  public interface Control {
    void reset();

    void setDevicePath(String path);

    void setOpenErrno(int errno);

    void setKernelApiVersion(long version);

    void failNext(int errno, int count);

    void failNextWithSystemError(int errno, String message);

    void growOnDump(int entries);

    long entryCount();

    long ioctlCalls();

    int errno(String name);
  }

  /** The compiled library's path (compiling it first if needed). */
  public static synchronized Path library() {
    if (library == null) {
      library = build(moduleDir());
    }
    return library;
  }

  /** The library's controls, reset to a fresh state. */
  public static synchronized Control control() {
    if (control == null) {
      control =
          LibraryLoader.create(Control.class)
              .mapper((name, context) -> "fakexde_" + snake(name))
              .failImmediately()
              .load(library().toString());
    }
    control.reset();
    return control;
  }

  /** A device configuration that loads the stand-in library. */
  public static XdeDeviceConfig config() {
    return XdeDeviceConfig.defaults().withLibrary(library().toString());
  }

  private static String snake(String camel) {
    StringBuilder out = new StringBuilder();
    for (char c : camel.toCharArray()) {
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Path moduleDir() {
    for (Path candidate :
        List.of(Path.of(System.getProperty("basedir", ".")), Path.of("sled-applier"))) {
      if (Files.exists(candidate.resolve(SOURCE))) {
        return candidate.toAbsolutePath();
      }
    }
    throw new IllegalStateException(
        "cannot find " + SOURCE + " from " + Path.of("").toAbsolutePath());
  }

  private static Path build(Path module) {
    Path source = module.resolve(SOURCE);
    Path out = module.resolve("target/native/libfakexde.so");
    try {
      if (Files.exists(out)
          && Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(source)) >= 0) {
        return out;
      }
      Files.createDirectories(out.getParent());
      Path tmp = Files.createTempFile(out.getParent(), "libfakexde", ".so");
      gcc(source, tmp);
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot build the stand-in XDE library: " + e.getMessage(), e);
    }
  }

  private static void gcc(Path source, Path out) throws IOException {
    List<String> command =
        List.of(
            "gcc",
            "-shared",
            "-fPIC",
            "-O2",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-o",
            out.toString(),
            source.toString(),
            "-lpthread");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("gcc did not finish within 120 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running gcc", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed:\n" + output);
    }
  }
}
