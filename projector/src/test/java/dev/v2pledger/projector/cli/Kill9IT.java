package dev.v2pledger.projector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.runner.Projector;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.projector.testing.Workload;
import dev.v2pledger.projector.topics.ProjectorTopics;
import dev.v2pledger.schema.testing.Seeds;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A projector process (the jar) killed with {@code kill -9}, and a successor with the same instance
 * id started at once (and, for comparison, the tests' in-JVM crash): the group refuses the
 * successor (its instance id is still held) until the dead member's session ends on the group's
 * session timeout (10 s here, projector README "Known issues"), then it takes over and projects
 * everything. Prints how long the takeover took.
 */
@WithKafka
class Kill9IT {
  private static final Path JAR = Path.of("target", "projector.jar");

  @Test
  void processKilledWithSigkill_successorWithItsIdTakesOverAfterTheGroupSession(KafkaCluster kafka)
      throws Exception {
    assertThat(JAR).as("the shaded jar (mvn package)").exists();
    long seed = Seeds.pick("Kill9IT");
    String group = "k9.projector";
    try (Harness harness =
        new Harness(kafka, ProjectorTopics.DEFAULT, group, 3, Seeds.context("Kill9IT", seed))) {
      harness.groupSession(Duration.ofSeconds(10), Duration.ofSeconds(1));
      Workload workload = new Workload(seed, 30, 4);
      harness.publish(workload.next(400, 20));
      int port = freePort();
      Path log = Files.createTempFile("projector-kill9", ".log");
      Process run =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  JAR.toString(),
                  "run",
                  "--bootstrap-servers",
                  kafka.bootstrapServers(),
                  "--instance-id",
                  "p",
                  "--group-id",
                  group,
                  "--metrics-port",
                  Integer.toString(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        await().atMost(Harness.DEADLINE).until(() -> !run.isAlive() || readyz(port) == 200);
        assertThat(run.isAlive()).as(Files.readString(log, StandardCharsets.UTF_8)).isTrue();
        harness.awaitCaughtUp();
      } finally {
        run.destroyForcibly(); // SIGKILL
        run.waitFor(30, TimeUnit.SECONDS);
      }
      double refusals =
          successorCatchesUp(
              harness,
              workload,
              "Kill9IT: the successor caught up %d ms after the kill (group session 10 s)%n");

      assertThat(refusals)
          .as("the group refused the successor while the killed member held the instance id")
          .isPositive();
    }
  }

  /**
   * The in-JVM crash the tests use ({@code Crashable}): its group consumer leaves staying in the
   * group (epoch -2), so the successor takes its place at once instead of waiting for the session.
   */
  @Test
  void projectorCrashedInTheJvm_successorWithItsIdTakesOverAtOnce(KafkaCluster kafka) {
    long seed = Seeds.pick("Kill9IT.inJvm");
    try (Harness harness = new Harness(kafka, "k9jvm", 3, Seeds.context("Kill9IT.inJvm", seed))) {
      harness.groupSession(Duration.ofSeconds(10), Duration.ofSeconds(1));
      Workload workload = new Workload(seed, 30, 4);
      harness.publish(workload.next(400, 20));
      Projector first = harness.start("p");
      harness.awaitCaughtUp();
      harness.kill(first);
      double refusals =
          successorCatchesUp(
              harness,
              workload,
              "Kill9IT: in the JVM, the successor caught up %d ms after the kill%n");

      assertThat(refusals)
          .as("never refused: the crashed member left its place, staying in the group")
          .isZero();
    }
  }

  /**
   * Right after a kill: 200 more events, then a successor with the dead one's instance id, which
   * must catch up and fold exactly what the oracle does; prints how long it took ({@code took}, a
   * format taking the milliseconds) and returns how often the group refused it.
   */
  private static double successorCatchesUp(Harness harness, Workload workload, String took) {
    long killed = System.nanoTime();
    harness.publish(workload.next(200, 20));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Projector successor = harness.start(harness.config("p", b -> b.registry(registry)));
    harness.awaitCaughtUp();
    long tookMs = (System.nanoTime() - killed) / 1_000_000;
    harness.assertMatchesOracle();
    assertThat(successor.readinessProblem()).isNull();
    Counter refused = registry.find("v2p.projector.rebalances").tag("kind", "unreleased").counter();
    System.out.printf(took, tookMs);
    return refused == null ? 0 : refused.count();
  }

  private static int readyz(int port) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
