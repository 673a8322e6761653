package dev.v2pledger.devstack.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.v2pledger.devstack.cli.DevstackMain;
import dev.v2pledger.devstack.report.Exposure;
import dev.v2pledger.devstack.report.RunReport;
import dev.v2pledger.devstack.run.LedgerRun;
import dev.v2pledger.devstack.run.RunHooks;
import dev.v2pledger.devstack.run.RunOptions;
import dev.v2pledger.devstack.run.ScriptSource;
import dev.v2pledger.devstack.testing.Runs;
import dev.v2pledger.devstack.workload.WorkloadShape;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.schema.testing.Seeds;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A seeded workload (migrations that succeed and fail, both sides' reports shuffled, repeated and
 * stale, VMM destroys with XDE's port side effects, IPs reused across instances) through two
 * projectors and four sleds ends with every sled right; and the command line, on the same broker
 * (which then holds the first run's records: the shared-cluster path), compares with the baseline.
 */
@WithKafka
class WorkloadIT {
  private final KafkaCluster kafka;

  WorkloadIT(KafkaCluster kafka) {
    this.kafka = kafka;
  }

  @Test
  void seededWorkloadWithFailuresAndReordering_endsWithNoViolation() throws Exception {
    long seed = Seeds.pick("WorkloadIT");
    RunOptions options =
        Runs.on(seed, Runs.stack(kafka, 4, 2, 4), WorkloadShape.sized(24, 400, 0.3), 2000);

    RunReport report =
        Runs.show(
            "WorkloadIT seed " + seed,
            LedgerRun.run(options, ScriptSource.generated(options), RunHooks.NONE).report());

    Runs.assertEndedRight(report, Seeds.replay(seed));
    assertThat(report.workload().migrationsFailed()).isPositive();
    assertThat(report.workload().duplicates()).isPositive();
    assertThat(report.workload().stale()).isPositive();
    assertThat(report.workload().ipReuses()).isPositive();
    assertThat(report.latencies()).isNotNull();
    assertThat(report.latencies().allSleds().count()).isPositive();
    assertThat(report.latencies().notYetEverywhere()).isZero();
    assertThat(report.driftRepairs()).as("XDE's side effects were repaired").isPositive();
    assertThat(report.exposure().byCause()).containsKey(Exposure.Cause.PORT_SIDE_EFFECT);
    assertThat(report.exposure().openAtEnd()).isZero();
    assertThat(report.expectedEntries()).isPositive();
  }

  @Test
  void commandLineComparesWithTheBaseline_onOneJsonLine() throws Exception {
    long seed = Seeds.pick("WorkloadIT.cli");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Cli.run(
            new DevstackMain(Map.of(), new PrintStream(System.out, true)),
            List.of(
                    "run",
                    "--bootstrap-servers",
                    kafka.bootstrapServers(),
                    "--sleds",
                    "3",
                    "--instances",
                    "12",
                    "--migrations",
                    "120",
                    "--rate",
                    "1000",
                    "--warmup",
                    "300",
                    "--seed",
                    Long.toString(seed),
                    "--compare",
                    "--rpw-period",
                    "1s",
                    "--json")
                .toArray(String[]::new),
            Map.of(),
            new PrintWriter(out, true),
            new PrintWriter(err, true));

    System.out.println("WorkloadIT.cli: " + out);
    assertThat(err.toString()).isEmpty();
    assertThat(code).isEqualTo(0);
    String[] lines = out.toString().strip().split("\n");
    JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
    assertThat(json.get("violations").asInt()).isZero();
    assertThat(json.get("events").asLong()).isPositive();
    assertThat(json.get("convergence_ms").get("p99").asLong()).isNotNegative();
    assertThat(json.get("hop_us").get("count").asLong()).isPositive();
    assertThat(json.get("baseline").get("mode").asText()).isEqualTo("rpw");
    assertThat(json.get("baseline").get("events").asLong()).isEqualTo(json.get("events").asLong());
    assertThat(json.get("baseline").get("exposure").get("sled_key_seconds").asDouble())
        .isPositive();
    assertThat(json.has("exposure_ratio")).isTrue();
  }
}
