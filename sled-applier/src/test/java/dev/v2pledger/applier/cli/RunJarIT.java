package dev.v2pledger.applier.cli;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.testing.MappingsTopic;
import dev.v2pledger.applier.testing.Records;
import dev.v2pledger.applier.xde.ffi.FakeXde;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar sled-applier/target/sled-applier.jar run ...} against the embedded broker, with
 * the simulated device and with the real ABI through the stand-in library (its table in a state
 * file, so that {@code xde dump} in another process sees what the applier wrote).
 */
@WithKafka
class RunJarIT {
  static final Duration DEADLINE = Duration.ofSeconds(60);
  static final Vni VNI = new Vni(2001);
  static final Vip A = vip(VNI, "172.30.20.1");
  static final Vip B = vip(VNI, "fd77::2001");
  static final Vip GONE = vip(VNI, "172.30.20.3");

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Process> processes = new ArrayList<>();
  private final KafkaCluster kafka;
  @TempDir Path dir;

  RunJarIT(KafkaCluster kafka) {
    this.kafka = kafka;
  }

  @BeforeAll
  static void records(KafkaCluster kafka) {
    MappingsTopic.create(kafka);
    MappingsTopic.produce(
        kafka, List.of(set(A, 1, 1, S), set(B, 1, 1, T), set(GONE, 1, 1, S), cleared(GONE, 1, 2)));
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void runsFromTheJarThroughTheStandInLibrary_andXdeCommandsSeeItsTable() throws Exception {
    Path state = dir.resolve("xde.state");
    Map<String, String> env = Map.of("FAKEXDE_STATE", state.toString());
    int port = freePort();
    String lib = FakeXde.library().toString();
    run(
        env,
        U,
        "--xde",
        "device",
        "--xde-library",
        lib,
        "--admin-port",
        Integer.toString(port),
        "--reconcile-interval",
        "10m");

    await().atMost(DEADLINE).until(() -> get(port, "/readyz").statusCode() == 200);
    String dump = jar(env, "xde", "--xde-library", lib, "dump", "--json");
    assertThat(dump)
        .contains(
            "{\"vni\":2001,\"ip\":\"172.30.20.1\",\"mac\":\"a8:40:25:1e:14:01\",\"underlay_ip\":\""
                + S.underlay()
                + "\"}")
        .contains("\"ip\":\"fd77::2001\"")
        .doesNotContain("172.30.20.3");

    jar(env, "xde", "clear", "--xde-library", lib, "--vni", "2001", "--ip", "172.30.20.1"); // drift
    HttpResponse<String> trigger = post(port, "/reconcile");
    assertThat(trigger.statusCode()).isEqualTo(202);
    await()
        .atMost(DEADLINE)
        .until(() -> jar(env, "xde", "dump", "--xde-library", lib).contains("172.30.20.1"));

    assertThat(get(port, "/xde").statusCode())
        .as("simulator endpoints only with --xde sim")
        .isEqualTo(404);
    String metrics = get(port, "/metrics").body();
    assertThat(metrics)
        .contains("v2p_applier_ready{")
        .contains("v2p_applier_drift_repaired_total{")
        .as("Kafka's own client metrics too")
        .contains("kafka_consumer_fetch_manager_records_consumed_total{")
        .contains("kafka_producer_record_send_total{");
    assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
  }

  @Test
  void runsFromTheJarWithTheSimulatedDevice() throws Exception {
    int port = freePort();
    Process applier =
        run(
            Map.of(),
            T,
            "--xde",
            "sim",
            "--admin-port",
            Integer.toString(port),
            // the port's side effect is read before the trigger: a port poll would repair it first
            "--port-poll-interval",
            "0s");

    await().atMost(DEADLINE).until(() -> get(port, "/readyz").statusCode() == 200);
    assertThat(get(port, "/metrics").body())
        .containsPattern("v2p_applier_xde_calls_seconds_count\\{[^}]*op=\"set\"[^}]*\\} [1-9]");

    // the simulator's endpoints, for devstack's remote sleds
    assertThat(get(port, "/sim/info").body())
        .startsWith("{\"sled_id\":\"" + T.id() + "\",\"underlay_ip\":\"fd00::1\"");
    assertThat(send("POST", port, "/sim/ports?vni=2001&ip=172.30.20.9&mac=a8:40:25:00:00:09"))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(200);
    assertThat(get(port, "/xde").body())
        .contains(
            "{\"vni\":2001,\"ip\":\"172.30.20.9\",\"mac\":\"a8:40:25:00:00:09\",\"underlay_ip\":\"fd00::1\"}");
    post(port, "/reconcile"); // the sled agent's trigger: the pass clears what nobody wants
    await().atMost(DEADLINE).until(() -> !get(port, "/xde").body().contains("172.30.20.9"));
    assertThat(get(port, "/sim/mutations?since=0").body())
        .contains("\"op\":\"PORT_CREATE\",\"vni\":2001,\"ip\":\"172.30.20.9\"")
        .contains("\"op\":\"CLEAR\",\"vni\":2001,\"ip\":\"172.30.20.9\"");

    applier.destroy(); // SIGTERM: stop the loop, close the clients and the device
    assertThat(applier.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readString(stderrOf(applier)))
        .contains("applier stopped")
        .doesNotContain("ERROR");
    assertThat(applier.exitValue())
        .as("a clean stop on SIGTERM; the JVM reports 128 + 15")
        .isEqualTo(143);
  }

  @Test
  void unreachableAdminPortIsAUsageError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      Process p =
          run(Map.of(), S, "--xde", "sim", "--admin-port", Integer.toString(taken.getLocalPort()));
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isEqualTo(2);
      assertThat(Files.readString(stderrOf(p)))
          .isEqualTo(
              "run: cannot listen on 127.0.0.1:"
                  + taken.getLocalPort()
                  + ": Address already in use\n");
    }
  }

  /** {@code run --sled-id SLED --bootstrap-servers <the test's cluster> args...} from the jar. */
  private Process run(Map<String, String> env, Records.Sled sled, String... args)
      throws IOException {
    List<String> all =
        new ArrayList<>(
            List.of(
                "run",
                "--sled-id",
                sled.id().toString(),
                "--bootstrap-servers",
                kafka.bootstrapServers()));
    all.addAll(List.of(args));
    return start(env, all.toArray(String[]::new));
  }

  private Process start(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", jarPath().toString()));
    command.addAll(List.of(args));
    Path log = dir.resolve("applier-" + processes.size() + ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    processes.add(process);
    logs.put(process, log);
    return process;
  }

  private final Map<Process, Path> logs = new HashMap<>();

  private Path stderrOf(Process p) {
    return logs.get(p);
  }

  private String jar(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(java(), "-jar", jarPath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(out).isZero();
    return out;
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      return new FakeResponse(503);
    }
  }

  private HttpResponse<String> post(int port, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String method, int port, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static Path jarPath() {
    Path jar = Path.of(System.getProperty("basedir", "."), "target", "sled-applier.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " does not exist: run the package phase first");
    }
    return jar;
  }

  /** A response for a server that is not listening yet. */
  private record FakeResponse(int statusCode) implements HttpResponse<String> {
    @Override
    public HttpRequest request() {
      return null;
    }

    @Override
    public Optional<HttpResponse<String>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return HttpHeaders.of(Map.of(), (a, b) -> true);
    }

    @Override
    public String body() {
      return "";
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return null;
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
