package dev.v2pledger.replay.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export's spool ({@code .export-*} beside its output) never outlives it for long: a stop by a
 * signal removes it at once, and what a {@code kill -9} leaves the next export's sweep removes; a
 * spool that may be in use (its process alive, another host's, no owner yet) is left alone.
 */
class ExportSpoolTest {
  @Test
  void aSpoolOfAnExportKilledWithSigkill_isRemovedByTheNextSweep(@TempDir Path parent)
      throws Exception {
    Process holder = hold(parent);
    Path spool = spoolOf(holder);
    assertThat(spool.resolve(ExportSpool.OWNER)).exists();

    holder.destroyForcibly(); // kill -9: no hook runs
    assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(spool).exists();

    assertThat(ExportSpool.sweep(parent)).isEqualTo(1);
    assertThat(spool).doesNotExist();
  }

  @Test
  void aSpoolOfAnExportStoppedBySigterm_isRemovedAtOnce(@TempDir Path parent) throws Exception {
    Process holder = hold(parent);
    Path spool = spoolOf(holder);

    holder.destroy(); // SIGTERM, as Ctrl-C or kill: the exporting thread's finally does not run
    assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(spool).doesNotExist();
  }

  /**
   * A live export's spool whose owner names a pid that is no process here: what a sweep in another
   * PID namespace sees (containers sharing the directory and the hostname, say, {@code docker run
   * --network host} or the same {@code --hostname}: the export is pid 7 in its container, and pid 7
   * is gone or another process in this one). The export is alive and writing into its spool; the
   * sweep must leave it alone (it removed it: a pid is only a process in its own namespace).
   */
  @Test
  void aLiveSpoolWhoseOwnerPidIsNoProcessHere_isLeftAlone(@TempDir Path parent) throws Exception {
    Process holder = hold(parent);
    try {
      Path spool = spoolOf(holder);
      String host = InetAddress.getLocalHost().getHostName();
      Files.writeString(spool.resolve(ExportSpool.OWNER), deadPid() + "@" + host);

      assertThat(ExportSpool.sweep(parent)).isZero();
      assertThat(spool).exists();
    } finally {
      holder.destroyForcibly();
      holder.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void spoolsThatMayBeInUse_areLeftAlone(@TempDir Path parent) throws Exception {
    String host = InetAddress.getLocalHost().getHostName();
    Path live = spool(parent, "live", ProcessHandle.current().pid() + "@" + host);
    Path otherHost = spool(parent, "other-host", deadPid() + "@not-" + host);
    Path noOwner = Files.createDirectory(parent.resolve(ExportSpool.PREFIX + "no-owner"));
    Path garbled = spool(parent, "garbled", "twelve@" + host);
    Path output = Files.writeString(parent.resolve(".export-not-a-dir"), "x");
    Path dead = spool(parent, "dead", deadPid() + "@" + host);
    Path elsewhere =
        spool(Files.createDirectory(parent.resolve("elsewhere")), "x", deadPid() + "@" + host);
    Path link = Files.createSymbolicLink(parent.resolve(ExportSpool.PREFIX + "link"), elsewhere);

    assertThat(ExportSpool.sweep(parent)).isEqualTo(1);

    assertThat(dead).doesNotExist();
    assertThat(live).exists();
    assertThat(otherHost).exists();
    assertThat(noOwner).exists();
    assertThat(garbled).exists();
    assertThat(output).exists();
    assertThat(link).isSymbolicLink();
    assertThat(elsewhere.resolve(ExportSpool.OWNER)).exists();
  }

  /** A spool named {@code .export-NAME} in {@code parent} with owner file {@code owner}. */
  static Path spool(Path parent, String name, String owner) throws IOException {
    Path dir = Files.createDirectory(parent.resolve(ExportSpool.PREFIX + name));
    Files.writeString(dir.resolve(ExportSpool.OWNER), owner);
    Files.writeString(dir.resolve("p0"), "1\t{}\n");
    return dir;
  }

  /** The pid of a process that has ended. */
  static long deadPid() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    assertThat(ended.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return ended.pid();
  }

  private static Process hold(Path parent) throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            classpath,
            SpoolHolder.class.getName(),
            parent.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static Path spoolOf(Process holder) throws IOException {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("the holder's spool").isNotNull();
    return Path.of(line);
  }
}
