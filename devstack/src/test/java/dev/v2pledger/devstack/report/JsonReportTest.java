package dev.v2pledger.devstack.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.devstack.stack.Footprint;
import dev.v2pledger.devstack.stack.Stages;
import dev.v2pledger.devstack.workload.Script;
import dev.v2pledger.runtime.stats.Latencies;
import dev.v2pledger.runtime.stats.Percentiles;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The report's JSON line has what scripts and CI read, and the text has the verdict. */
public class JsonReportTest {
  static final SledId SLED = SledId.parse("51ed0000-0000-4000-8000-000000000001");
  static final Vip VIP = new Vip(new Vni(7777), IpAddr.parse("172.30.0.5"));
  static final Script.Counts COUNTS =
      new Script.Counts(1000, 10, 20, 30, 5, 1, 2, 1, 1, 1, 1, 9, 3, 7, 2, 50);

  public static RunReport report(String mode, double exposure, List<Violation> violations) {
    return report(mode, exposure, violations, true);
  }

  static RunReport report(
      String mode, double exposure, List<Violation> violations, boolean converged) {
    return report(mode, exposure, violations, converged, new Percentiles(900, 9, 15, 30, 41));
  }

  /** A report whose convergence, hops and stage are all {@code p}. */
  static RunReport report(
      String mode, double exposure, List<Violation> violations, boolean converged, Percentiles p) {
    Exposure.Result result =
        new Exposure.Result(
            exposure,
            3,
            new Exposure.Gap(
                SLED,
                VIP,
                Instant.parse("2026-11-23T03:10:00Z"),
                Instant.parse("2026-11-23T03:10:00.012Z"),
                Exposure.Cause.PROPAGATION),
            Map.of(Exposure.Cause.PROPAGATION, new Exposure.Share(exposure, 3)),
            0,
            Duration.ofSeconds(2));
    return new RunReport(
        mode,
        42,
        8,
        1,
        "embedded 127.0.0.1:9092",
        COUNTS,
        Duration.ofSeconds(1),
        mode.equals("rpw") ? null : new Latencies(p, Map.of(), p, 0, 0),
        mode.equals("rpw") ? null : p.empty() ? p : new Percentiles(100, 400, 900, 4000, 5000),
        mode.equals("rpw") ? null : p.empty() ? p : new Percentiles(100, 4000, 9000, 14000, 25000),
        17,
        violations,
        List.of(),
        result,
        new StaleFlows(
            120.0,
            mode.equals("rpw") ? 30.0 : 0.5,
            mode.equals("rpw") ? 25.0 : 0.01,
            30.0,
            25.0,
            64,
            mode.equals("rpw") ? 0 : 900,
            600.0),
        converged,
        Duration.ofMillis(40),
        12,
        mode.equals("rpw")
            ? List.of()
            : List.of(
                new Stages.Stage(
                    "projector.polled",
                    "event logged -> polled",
                    p.empty() ? p : new Percentiles(900, 1_500, 6_000, 20_000, 31_000))),
        mode.equals("rpw") ? Map.of() : Map.of("Fetch", 9_000L, "Produce", 2_000L),
        mode.equals("rpw") ? Map.of() : Map.of("AddPartitionsToTxn CONCURRENT_TRANSACTIONS", 3L),
        mode.equals("rpw") ? Map.of() : Map.of("projectors", 0.25, "appliers", 0.5),
        mode.equals("rpw")
            ? null
            : new Footprint(
                new Footprint.Topic(500, 60_000, 40, 5_000, 7),
                new Footprint.Topic(900, 300_000, 20, 9_000, 3),
                20L,
                40L),
        List.of());
  }

  @Test
  void oneLineWithViolationsEventsAndConvergence() throws Exception {
    String line = JsonReport.line(report("v2p-ledger", 0.03, List.of()), null);

    assertThat(line).doesNotContain("\n");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("violations").asInt()).isZero();
    assertThat(json.get("events").asLong()).isEqualTo(1000);
    assertThat(json.get("convergence_ms").get("p50").asLong()).isEqualTo(9);
    assertThat(json.get("convergence_ms").get("p90").asLong()).isEqualTo(15);
    assertThat(json.get("convergence_ms").get("p99").asLong()).isEqualTo(30);
    assertThat(json.get("convergence_ms").get("max").asLong()).isEqualTo(41);
    assertThat(json.get("exposure").get("worst_gap_ms").asDouble()).isEqualTo(12.0);
    assertThat(json.get("stale_flows").get("stale_flow_seconds").asDouble()).isEqualTo(0.5);
    assertThat(json.get("stale_flows").get("stale_flow_seconds_without_clearing").asDouble())
        .isEqualTo(30.0);
    assertThat(json.get("stale_flows").get("stale_flow_seconds_entry_right").asDouble())
        .isEqualTo(0.01);
    assertThat(json.get("stale_flows").get("uft_clears_per_port_minute").asDouble())
        .isEqualTo(90.0);
    assertThat(json.get("passed").asBoolean()).isTrue();
    assertThat(json.has("baseline")).isFalse();
    assertThat(json.get("footprint").get("mappings").get("live_keys").asLong()).isEqualTo(40);
    assertThat(json.get("footprint").get("instance_state").get("tombstones").asLong()).isEqualTo(3);
    assertThat(json.get("footprint").get("projector_states").asLong()).isEqualTo(20);
    assertThat(json.get("broker_errors").get("AddPartitionsToTxn CONCURRENT_TRANSACTIONS").asLong())
        .isEqualTo(3);
    assertThat(json.get("broker_requests").get("Fetch").asLong()).isEqualTo(9_000);
    assertThat(json.get("transactional_hop_us").get("p50").asLong()).isEqualTo(4000);
    assertThat(json.get("cpu_cores").get("appliers").asDouble()).isEqualTo(0.5);
    assertThat(json.get("stages_us").get("projector.polled").get("p99").asLong()).isEqualTo(20_000);
  }

  /** A series without samples has no percentiles: null in the JSON, "no samples" in the text. */
  @Test
  void anEmptySeries_hasNoPercentiles_notZeros() throws Exception {
    RunReport empty = report("v2p-ledger", 0.03, List.of(), true, Percentiles.of(new long[0]));

    JsonNode json = new ObjectMapper().readTree(JsonReport.line(empty, null));
    for (JsonNode series :
        List.of(
            json.get("convergence_ms"),
            json.get("projected_ms"),
            json.get("hop_us"),
            json.get("stages_us").get("projector.polled"))) {
      assertThat(series.get("count").asLong()).isZero();
      assertThat(List.of("p50", "p90", "p99", "max"))
          .allSatisfy(q -> assertThat(series.get(q).isNull()).as(q + " of " + series).isTrue());
    }
    String text = TextReport.of(empty, null);
    assertThat(text)
        .contains("applied on every sled (v2p.acks): no samples (n=0)")
        .contains("projected to v2p.mappings: no samples (n=0)")
        .containsPattern("event logged -> polled +no samples \\(n=0\\)")
        .doesNotContain("p50 0 ms")
        .doesNotContain("0.0 / 0.0");
  }

  /** The verdict line says what the exit code says: no violation, but not converged, fails. */
  @Test
  void notConvergedWithoutViolations_theVerdictLineSaysFail() {
    RunReport report = report("v2p-ledger", 0.03, List.of(), false);

    assertThat(report.passed()).isFalse();
    assertThat(TextReport.of(report, null))
        .contains("NOT converged after the workload")
        .contains("verdict: FAIL, 0 violations, but not every sled converged in time")
        .doesNotContain("verdict: PASS");
  }

  @Test
  void withABaselineBothExposuresAndTheirRatio() throws Exception {
    XdeMapping wrong =
        new XdeMapping(VIP, MacAddr.parse("a8:40:25:f0:00:05"), Ipv6Addr.parse("fd00::1"));
    RunReport baseline = report("rpw", 30, List.of(new Violation(SLED, VIP, null, wrong)));

    JsonNode json =
        new ObjectMapper()
            .readTree(JsonReport.line(report("v2p-ledger", 0.03, List.of()), baseline));

    assertThat(json.get("exposure_ratio").asDouble()).isEqualTo(0.001, Assertions.within(1e-12));
    assertThat(json.get("baseline").get("mode").asText()).isEqualTo("rpw");
    assertThat(json.get("baseline").get("convergence_ms").isNull()).isTrue();
    assertThat(json.get("baseline").get("footprint").isNull()).isTrue();
    assertThat(json.get("baseline").get("violation_list").get(0).get("kind").asText())
        .isEqualTo("EXTRA");
    String text = TextReport.of(report("v2p-ledger", 0.03, List.of()), baseline);
    assertThat(text)
        .contains("verdict: PASS, 0 violations")
        .contains("verdict: FAIL, 1 violation(s):")
        .contains(
            "EXTRA sled "
                + SLED
                + " 7777/172.30.0.5: expected nothing, holds a8:40:25:f0:00:05 @ fd00::1")
        .contains("ratio 0.0010 (1/1,000)")
        .contains(
            "kept at the end: v2p.mappings 500 records (60 KB), after compaction 40 keys (5,000 B)"
                + " + 7 tombstones; v2p.instance-state 900 records (300 KB), after compaction 20"
                + " keys (9,000 B) + 3 tombstones")
        .contains("  event logged -> polled                   1.5 / 6.0 / 20.0 / 31.0 (n=900)")
        .contains(
            "worst gap 12.0 ms from 2026-11-23T03:10:00Z (sled "
                + SLED
                + ", 7777/172.30.0.5, propagation)")
        .contains(
            "in memory: 20 instance states (projectors), 40 desired mappings (largest applier)");
  }
}
