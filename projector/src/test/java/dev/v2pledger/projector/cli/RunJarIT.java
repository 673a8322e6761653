package dev.v2pledger.projector.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.runner.ProjectorConfig;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.projector.testing.Workload;
import dev.v2pledger.projector.topics.ProjectorTopics;
import dev.v2pledger.schema.testing.Seeds;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code java -jar projector/target/projector.jar ...} against the embedded broker. */
@WithKafka
class RunJarIT {
  private static final Path JAR = Path.of("target", "projector.jar");
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void initTopicsThenRun_servesReadinessAndMetrics_andProjectsTheEvents(KafkaCluster kafka)
      throws Exception {
    assertThat(JAR).as("the shaded jar (mvn package)").exists();
    long seed = Seeds.pick("RunJarIT");
    Process init =
        jar("init-topics", "--bootstrap-servers", kafka.bootstrapServers(), "--partitions", "3");
    assertThat(init.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(init.exitValue()).as(output(init)).isZero();
    assertThat(output(init))
        .contains("6 created, 0 found")
        .contains("v2p.schemas: 6 released schema(s) registered");

    try (Harness harness =
        new Harness(
            kafka,
            ProjectorTopics.DEFAULT,
            ProjectorConfig.DEFAULT_GROUP_ID,
            3,
            Seeds.context("RunJarIT", seed))) {
      harness.publish(new Workload(seed, 30, 4).next(400, 20));
      int port = freePort();
      Process run =
          jar(
              "run",
              "--bootstrap-servers",
              kafka.bootstrapServers(),
              "--instance-id",
              "jar-1",
              "--metrics-port",
              Integer.toString(port));
      try {
        await()
            .atMost(Harness.DEADLINE)
            .until(() -> !run.isAlive() || status(port, "/readyz") == 200);
        assertThat(run.isAlive()).as(output(run)).isTrue();
        harness.awaitCaughtUp();
        harness.assertMatchesOracle();
        String metrics = get(port, "/metrics").body();
        assertThat(metrics)
            .contains("v2p_projector_events_folded_total{")
            .contains("v2p_projector_transaction_commit_seconds_bucket{")
            .contains("v2p_projector_lag{")
            .contains("instance=\"jar-1\"")
            .as("Kafka's own client metrics too")
            .contains("kafka_producer_txn_commit_time_ns_total{")
            .contains("kafka_consumer_fetch_manager_records_consumed_total{");
        assertThat(status(port, "/healthz")).isEqualTo(200);
      } finally {
        run.destroy(); // SIGTERM: commit, leave the group, close
        assertThat(run.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(output(run)).contains("jar-1: stopped").doesNotContain("ERROR");
      assertThat(run.exitValue())
          .as("a clean stop on SIGTERM; the JVM reports 128 + 15")
          .isEqualTo(143);
    }
  }

  private final Map<Process, Path> logs = new HashMap<>();

  private Process jar(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    Path log = Files.createTempFile("projector-jar", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    logs.put(process, log);
    return process;
  }

  private String output(Process process) throws IOException {
    return Files.readString(logs.get(process), StandardCharsets.UTF_8);
  }

  private int status(int port, String path) {
    try {
      return get(port, path).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
