package dev.v2pledger.applier.xde.ffi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jnr.ffi.LibraryLoader;
import org.jspecify.annotations.Nullable;

/**
 * The stand-in XDE kernel of {@code src/test/c/} ({@code fake_xde.c} and the files beside it):
 * compiled with gcc into {@code target/native/} the first time a JVM asks for it (again whenever a
 * source is newer), and controlled through its {@code fakexde_*} functions. A fresh machine needs
 * only gcc.
 */
public final class FakeXde {
  private static final String SOURCES = "src/test/c";
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

    /**
     * The descriptors opened so far are not open any more: their calls fail with EBADF, as a
     * descriptor closed under its user; the next open gives a new one.
     */
    void staleDescriptors();

    long entryCount();

    long ioctlCalls();

    /**
     * How many times {@code close} was called with a number that is not the device's descriptor (a
     * stale one: a real kernel may have given that number to a socket or file since).
     */
    long foreignCloses();

    int errno(String name);

    /**
     * Makes a running port with an empty UFT and every address Option None; 0, or -1 (EEXIST for a
     * name or a (VNI, MAC) already taken, EINVAL for a bad name or MAC).
     */
    int portCreate(String name, int vni, String mac);

    /**
     * Sets one field of a port: a {@code PortInfo} Option by OPTE's name ({@code ip4_addr}, {@code
     * ephemeral_ip4_addr}, {@code floating_ip4_addrs}, and the same for IPv6) to an address, a
     * comma-separated list (empty for {@code Some([])}) or null for None; or {@code state}.
     */
    int portSet(String name, String field, @Nullable String value);

    int portDestroy(String name);

    /** Adds entries to the port's inbound and outbound UFT, as traffic would. */
    int portAddFlows(String name, long in, long out);

    /** The port's UFT entries (both directions), or -1 if there is no such port. */
    long portUftFlows(String name);
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
      if (Files.exists(candidate.resolve(SOURCES).resolve("fake_xde.c"))) {
        return candidate.toAbsolutePath();
      }
    }
    throw new IllegalStateException(
        "cannot find " + SOURCES + "/fake_xde.c from " + Path.of("").toAbsolutePath());
  }

  /** The library's C sources and headers. */
  private static List<Path> sources(Path module) throws IOException {
    try (Stream<Path> files = Files.list(module.resolve(SOURCES))) {
      return files
          .filter(f -> f.toString().endsWith(".c") || f.toString().endsWith(".h"))
          .sorted()
          .toList();
    }
  }

  private static Path build(Path module) {
    Path out = module.resolve("target/native/libfakexde.so");
    try {
      List<Path> sources = sources(module);
      if (Files.exists(out) && !newerThan(sources, Files.getLastModifiedTime(out))) {
        return out;
      }
      Files.createDirectories(out.getParent());
      Path tmp = Files.createTempFile(out.getParent(), "libfakexde", ".so");
      gcc(sources.stream().filter(f -> f.toString().endsWith(".c")).toList(), tmp);
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot build the stand-in XDE library: " + e.getMessage(), e);
    }
  }

  private static boolean newerThan(List<Path> sources, FileTime built) throws IOException {
    for (Path source : sources) {
      if (Files.getLastModifiedTime(source).compareTo(built) > 0) {
        return true;
      }
    }
    return false;
  }

  private static void gcc(List<Path> sources, Path out) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of("gcc", "-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror", "-o"));
    command.add(out.toString());
    sources.forEach(source -> command.add(source.toString()));
    command.add("-lpthread");
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
