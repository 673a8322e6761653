package dev.v2pledger.devstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.v2pledger.devstack.workload.WorkloadShape;
import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.Converters;
import dev.v2pledger.runtime.cli.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line without a broker: usage errors, help, and the rpw baseline (no Kafka). */
class DevstackCliTest {

  record Result(int code, String out, String err, String progress) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    int code =
        Cli.run(
            new DevstackMain(Map.of(), new PrintStream(progress, true, StandardCharsets.UTF_8)),
            args,
            Map.of(),
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    return new Result(
        code, out.toString(), err.toString(), progress.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badValuesAreOneLineUsageErrors() {
    for (String[] args :
        new String[][] {
          {"run", "--sleds", "0"},
          {"run", "--instances", "0"},
          {"run", "--failure-rate", "2"},
          {"run", "--rate", "-5"},
          {"run", "--sleds", "1"},
          {"run", "--rpw-period", "0s"},
          {"run", "--sled-endpoints", "http://127.0.0.1:9465"},
          {"run", "--compare", "--bootstrap-servers", "x:1", "--sled-endpoints", "http://a:1"},
          {"run", "--baseline", "rpw", "--bootstrap-servers", "127.0.0.1:1"},
          {"run", "--baseline", "nothing"},
          {"run", "--sleds", "many"},
          {"run", "--bootstrap-servers", "x:1", "--sled-endpoints", "not a url"},
          {"run", "--bootstrap-servers", "x:1", "--sled-endpoints", "ftp://127.0.0.1:1/"},
          {"run", "--bootstrap-servers", "x:1", "--sled-endpoints", "http://127.0.0.1:99999/"},
          {"run", "--sleds", "1001"},
          {"run", "--sleds", "70000"},
          {"run", "--projectors", "101"},
          {"run", "--projectors", "0"},
          {"run", "--projectors", "0", "--compare"},
          {"run", "--stay", "--bootstrap-servers", "127.0.0.1:9092"},
          {"run", "--stay", "--compare"},
        }) {
      Result result = run(args);
      assertThat(result.code()).as(String.join(" ", args)).isEqualTo(Cli.EXIT_USAGE);
      assertThat(result.err().strip()).as(String.join(" ", args)).doesNotContain("\n").isNotEmpty();
      assertThat(result.out()).isEmpty();
    }
    assertThat(run("run", "--sleds", "1").err())
        .isEqualTo("run: migrations need at least two sleds\n");
    assertThat(run("run", "--instances", "0", "--migrations", "0").err())
        .as("a workload of no instances publishes nothing: a PASS would check nothing")
        .isEqualTo(
            "run: instances must be at least 1 (a workload of none checks nothing), got 0\n");
    assertThat(run("run", "--bootstrap-servers", "127.0.0.1:99999").err())
        .as("the settings' error, not the client's 'Failed to create'")
        .isEqualTo(
            "run: Kafka at 127.0.0.1:99999: Invalid port in bootstrap.servers: 127.0.0.1:99999\n");
    for (String url : new String[] {"ftp://127.0.0.1:1/", "http://127.0.0.1:99999/"}) {
      assertThat(run("run", "--bootstrap-servers", "x:1", "--sled-endpoints", url).err())
          .as("refused before any connection")
          .isEqualTo("run: --sled-endpoints: '" + url + "' is not an http://host:port URL\n");
    }
  }

  /** The projectors start after the broker and the sleds: their limit is checked before all. */
  @Test
  void aTransactionAgeTheProjectorsWouldRefuse_isRefusedBeforeAnythingStarts() {
    Result result = run("run", "--max-tx-age", "6s", "--migrations", "2");

    assertThat(result.code()).isEqualTo(Cli.EXIT_USAGE);
    assertThat(result.err().strip())
        .isEqualTo(
            "run: a transaction age of 6000 ms leaves its commit no room within"
                + " transaction.timeout.ms (10000 ms; the broker aborts older transactions): keep"
                + " the ages at most half of it");
    assertThat(result.progress()).as("nothing started").doesNotContain("Kafka");
  }

  @Test
  void theBoundsOfSledsProjectorsAndPartitionsAreNamedWithTheirReason() {
    Map<String, String> refusals = new LinkedHashMap<>();
    refusals.put(
        "--sleds 70000",
        "--sleds must be at most 1000 (each local sled is an applier with its own Kafka clients in"
            + " this JVM), got 70000");
    refusals.put(
        "--projectors 100000",
        "--projectors must be at most 100 (each is a consumer, two transactional producers and an"
            + " admin client in this JVM), got 100000");
    refusals.put(
        "--partitions 100000",
        "--partitions must be at most 500 (each new topic gets that many, each partition open"
            + " files in the broker), got 100000");
    refusals.put(
        "--projectors 0",
        "--projectors 0 leaves the projecting to projectors run elsewhere, which the embedded"
            + " broker has none of: give --bootstrap-servers of their cluster, or --projectors 1"
            + " or more");
    refusals.forEach(
        (flags, why) ->
            assertThat(run(("run " + flags).split(" ")).err()).isEqualTo("run: " + why + "\n"));
  }

  @Test
  void anExternalClusterThatDoesNotAnswer_isReportedAfterTheFirstContactsWait() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    String cluster = "127.0.0.1:" + closed;
    long start = System.nanoTime();

    Result result =
        run(
            "run",
            "--bootstrap-servers",
            cluster,
            "--instances",
            "2",
            "--migrations",
            "2",
            "--warmup",
            "0",
            "--sleds",
            "2",
            "--no-hop-probe",
            "--quiet");

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(result.code()).isEqualTo(Cli.EXIT_USAGE);
    assertThat(result.err())
        .isEqualTo("run: Kafka at " + cluster + ": describe: the cluster did not answer in time\n");
    // the first contact's 15 s, not the 60 s every later request may take (nor an instant failure)
    assertThat(took).isBetween(Duration.ofSeconds(14), Duration.ofSeconds(50));
  }

  /**
   * The script is generated whole before anything is played: one far larger than the heap left the
   * JVM collecting garbage, silent and deaf to SIGTERM, for as long as anyone waited.
   */
  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aWorkloadTooLargeForTheHeap_isRefusedBeforeAnythingStarts() {
    for (String[] args :
        new String[][] {
          {"run", "--migrations", "2000000000"},
          {"run", "--instances", "2000000000"},
          {"run", "--warmup", "2000000000"},
        }) {
      Result result = run(args);

      assertThat(result.code()).as(String.join(" ", args)).isEqualTo(Cli.EXIT_USAGE);
      assertThat(result.err())
          .as(String.join(" ", args))
          .startsWith("run: --instances ")
          .contains("the workload is generated whole before it is played")
          .endsWith("give smaller values, or more heap (java -Xmx...)\n");
      assertThat(result.progress()).isEmpty();
    }
  }

  @Test
  void theRunCommandsDefaultWorkloadIsWorkloadShapeDefaults() {
    RunCommand command = new RunCommand();
    picocli.CommandLine commandLine = new picocli.CommandLine(command);
    Converters.register(commandLine);
    commandLine.parseArgs();

    assertThat(
            new WorkloadShape(
                command.instances,
                command.migrations,
                command.failureRate,
                command.concurrency,
                command.reorderRate,
                command.lateRate))
        .isEqualTo(WorkloadShape.DEFAULTS);
  }

  @Test
  void helpListsTheOptionsAndExitCodes() {
    Result top = run("--help");
    Result command = run("run", "--help");

    assertThat(top.code()).isZero();
    assertThat(top.out()).contains("Exit codes:").contains("run");
    assertThat(command.code()).isZero();
    assertThat(command.out())
        .contains(
            "--sleds", "--projectors", "--rate", "--seed", "--json", "--baseline", "--compare")
        .contains("--sled-endpoints", "--rpw-period", "--rpw-call-latency", "--warmup");
  }

  /** --quiet leaves out the progress lines, not the report's line naming the log file. */
  @Test
  void quietStillNamesTheLogFileAndItsWarnings(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("run.log"), "2026-12-08T03:00:00Z WARN  [x] y\n");
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    StringWriter out = new StringWriter();
    DevstackMain main =
        new DevstackMain(
            Map.of(),
            new PrintStream(progress, true, StandardCharsets.UTF_8),
            RunLog.at(file, true),
            InputStream.nullInputStream());

    int code =
        Cli.run(
            main,
            new String[] {
              "run",
              "--baseline",
              "rpw",
              "--sleds",
              "2",
              "--instances",
              "2",
              "--migrations",
              "2",
              "--rate",
              "0",
              "--rpw-period",
              "200ms",
              "--rpw-call-latency",
              "0ms",
              "--json",
              "--quiet"
            },
            Map.of(),
            new PrintWriter(out, true),
            new PrintWriter(new StringWriter(), true));

    assertThat(code).as(out.toString()).isZero();
    assertThat(progress.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("devstack: logs: " + file + " (1 warning, no errors)");
  }

  @Test
  void theBaselineAloneRunsWithoutKafka_andPrintsOneJsonLine() throws Exception {
    Result result =
        run(
            "run",
            "--baseline",
            "rpw",
            "--sleds",
            "3",
            "--instances",
            "6",
            "--migrations",
            "30",
            "--rate",
            "0",
            "--seed",
            "5",
            "--rpw-period",
            "200ms",
            "--rpw-call-latency",
            "0ms",
            "--json");

    assertThat(result.err()).isEmpty();
    assertThat(result.code()).as(result.out()).isZero();
    assertThat(result.out().strip().lines()).hasSize(1);
    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(json.get("mode").asText()).isEqualTo("rpw");
    assertThat(json.get("violations").asInt()).isZero();
    assertThat(json.get("events").asLong()).isPositive();
    assertThat(json.get("convergence_ms").isNull()).isTrue();
    assertThat(json.get("exposure").get("sled_key_seconds").asDouble()).isPositive();
    assertThat(result.progress()).contains("rpw baseline");
  }

  /**
   * A Kafka failure after the cluster answered and the run began (a request that timed out mid-run)
   * is the run failing, exit 1 with "failed:", not a usage error (exit 2), which stays for settings
   * no client can be made with and a cluster not reached before anything ran.
   */
  @Test
  void aKafkaFailureMidRun_exits1Failed_badSettingsStayUsage() {
    UsageException midRun =
        RunCommand.kafkaFailure(
            new TimeoutException("Timeout of 60000ms expired before the offsets were read"),
            "10.0.0.1:9092");
    assertThat(midRun.exitCode()).isEqualTo(Cli.EXIT_FAILURE);
    assertThat(midRun.getMessage())
        .isEqualTo(
            "failed: Kafka at 10.0.0.1:9092: TimeoutException: Timeout of 60000ms expired before"
                + " the offsets were read");

    UsageException badSettings =
        RunCommand.kafkaFailure(
            new KafkaException(
                "Failed to create new KafkaAdminClient",
                new ConfigException("Invalid port in bootstrap.servers: 10.0.0.1:99999")),
            "10.0.0.1:99999");
    assertThat(badSettings.exitCode()).isEqualTo(Cli.EXIT_USAGE);
    assertThat(badSettings.getMessage())
        .isEqualTo("Kafka at 10.0.0.1:99999: Invalid port in bootstrap.servers: 10.0.0.1:99999");
  }

  /**
   * With --json the last line of stdout is an object even when the run stops before its report
   * (here the warm-up cannot converge within 1 ms): passed false and the error its stderr line
   * says; before, stdout had nothing and a script reading it had nothing to parse.
   */
  @Test
  void aRunStoppedBeforeItsReport_withJson_printsPassedFalseAndTheError() throws Exception {
    Result result =
        run(
            "run",
            "--sleds",
            "2",
            "--instances",
            "4",
            "--migrations",
            "2",
            "--warmup",
            "20",
            "--converge-timeout",
            "1ms",
            "--no-hop-probe",
            "--quiet",
            "--json");

    assertThat(result.code()).isEqualTo(Cli.EXIT_FAILURE);
    assertThat(result.err())
        .isEqualTo("run: failed: the warm-up did not converge within --converge-timeout 1 ms\n");
    JsonNode json = new ObjectMapper().readTree(result.out().strip());
    assertThat(json.get("passed").asBoolean(true)).isFalse();
    assertThat(json.get("error").asText())
        .isEqualTo("failed: the warm-up did not converge within --converge-timeout 1 ms");
  }
}
