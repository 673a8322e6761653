package dev.v2pledger.devstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar devstack/target/devstack.jar run} stopped by SIGTERM (what Ctrl-C, {@code
 * timeout} and {@code docker stop} do) while the workload plays: the embedded broker's directory in
 * the temporary directory goes with the process. Only the run's log file stays, as it does after
 * every run.
 */
class StoppedRunIT {
  private static final Path JAR = Path.of("target", "devstack.jar");

  @TempDir Path tmp;

  @Test
  void aRunStoppedMidWorkload_leavesNoBrokerDirectoryBehind() throws Exception {
    assertThat(JAR).as("the shaded jar (mvn package)").exists();
    Process run =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp,
                "-jar",
                JAR.toString(),
                "run",
                "--seed",
                "42",
                "--sleds",
                "2",
                "--warmup",
                "0",
                "--migrations",
                "2000",
                "--rate",
                "50",
                "--no-hop-probe")
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<String> progress = new ArrayList<>();
    CompletableFuture<Boolean> playing =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader err =
                  new BufferedReader(
                      new InputStreamReader(run.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                  synchronized (progress) {
                    progress.add(line);
                  }
                  if (line.startsWith("devstack: playing ")) {
                    return true;
                  }
                }
                return false;
              } catch (IOException e) {
                return false;
              }
            });
    try {
      assertThat(playing.get(180, TimeUnit.SECONDS)).as("progress: %s", progress).isTrue();
      Thread.sleep(2_000);
      run.destroy(); // SIGTERM
      assertThat(run.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
    } finally {
      run.destroyForcibly();
    }
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString()).sorted(Comparator.naturalOrder()))
          .as("what the stopped run left in its temporary directory")
          .allMatch(name -> name.startsWith("v2p-devstack-") && name.endsWith(".log"));
    }
  }
}
