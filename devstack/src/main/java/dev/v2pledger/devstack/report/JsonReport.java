package dev.v2pledger.devstack.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.devstack.stack.Footprint;
import dev.v2pledger.devstack.workload.Script;
import dev.v2pledger.runtime.stats.Percentiles;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vip;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The report as one JSON object on one line: {@code {"violations":N,"events":N,"convergence_ms":
 * {"p50":..,"p90":..,"p99":..,"max":..},...}}; with a baseline, its report under {@code "baseline"}
 * and {@code "exposure_ratio"} (v2p-ledger's exposure / the baseline's). A series without samples
 * has {@code "count":0} and null percentiles, not zeros.
 */
public final class JsonReport {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LISTED = 100;

  private JsonReport() {}

  public static String line(RunReport report, @Nullable RunReport baseline) {
    Map<String, Object> out = object(report);
    if (baseline != null) {
      out.put("baseline", object(baseline));
      out.put("exposure_ratio", ratio(report, baseline));
    }
    return write(out);
  }

  private static String write(Map<String, Object> out) {
    try {
      return JSON.writeValueAsString(out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the report as JSON", e);
    }
  }

  /**
   * The object a run that stopped before its report prints in its place: {@code passed} false and
   * the {@code error} its one line on stderr says, so that a script reading the last line of stdout
   * always reads an object.
   */
  public static String failure(String error) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("passed", false);
    out.put("error", error);
    return write(out);
  }

  /** v2p-ledger's exposure divided by the baseline's (null when the baseline's is zero). */
  public static @Nullable Double ratio(RunReport report, RunReport baseline) {
    double base = baseline.exposure().sledKeySeconds();
    return base == 0 ? null : report.exposure().sledKeySeconds() / base;
  }

  static Map<String, Object> object(RunReport r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mode", r.mode());
    out.put("passed", r.passed());
    out.put("violations", r.violations().size());
    out.put("events", r.events());
    out.put("convergence_ms", r.latencies() == null ? null : percentiles(r.latencies().allSleds()));
    out.put("projected_ms", r.latencies() == null ? null : percentiles(r.latencies().projected()));
    out.put(
        "not_yet_on_every_sled", r.latencies() == null ? null : r.latencies().notYetEverywhere());
    out.put("hop_us", r.hop() == null ? null : percentiles(r.hop()));
    out.put(
        "transactional_hop_us",
        r.transactionalHop() == null ? null : percentiles(r.transactionalHop()));
    out.put("seed", r.seed());
    out.put("sleds", r.sleds());
    out.put("projectors", r.projectors());
    out.put("cluster", r.cluster());
    out.put("wall_ms", r.wall().toMillis());
    out.put("events_per_s", Math.round(r.eventsPerSecond()));
    out.put("end_to_end_events_per_s", Math.round(r.endToEndPerSecond()));
    out.put("drift_repairs", Math.round(r.driftRepairs()));
    out.put("converged", r.converged());
    out.put("converged_after_ms", r.convergedAfter().toMillis());
    out.put("expected_entries", r.expectedEntries());
    out.put("oracle_vs_truth", r.truthMismatches().size());
    out.put("exposure", exposure(r.exposure()));
    out.put("stale_flows", staleFlows(r.flows()));
    out.put("workload", workload(r.workload()));
    out.put("footprint", footprint(r.footprint()));
    Map<String, Object> stages = new LinkedHashMap<>();
    r.stages().forEach(stage -> stages.put(stage.key(), percentiles(stage.micros())));
    out.put("stages_us", stages);
    out.put("broker_requests", r.brokerRequests());
    out.put("broker_errors", r.brokerErrors());
    out.put("cpu_cores", r.cpu());
    List<Map<String, Object>> listed = new ArrayList<>();
    for (Violation v : r.violations().subList(0, Math.min(MAX_LISTED, r.violations().size()))) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("kind", v.kind());
      at(item, v.sled(), v.vip());
      item.put("expected", entry(v.expected()));
      item.put("actual", entry(v.actual()));
      listed.add(item);
    }
    out.put("violation_list", listed);
    out.put("truth_mismatch_list", r.truthMismatches());
    out.put("notes", r.notes());
    return out;
  }

  private static @Nullable Map<String, Object> footprint(@Nullable Footprint f) {
    if (f == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mappings", topic(f.mappings()));
    out.put("instance_state", topic(f.states()));
    out.put("projector_states", f.projectorStates());
    out.put("applier_entries", f.applierEntries());
    return out;
  }

  private static Map<String, Object> topic(Footprint.Topic t) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("records", t.records());
    out.put("bytes", t.bytes());
    out.put("live_keys", t.liveKeys());
    out.put("live_bytes", t.liveBytes());
    out.put("tombstones", t.tombstones());
    return out;
  }

  /** Puts where something happened: {@code "sled"}, {@code "vni"} and {@code "ip"}. */
  private static void at(Map<String, Object> out, SledId sled, Vip vip) {
    out.put("sled", sled.toString());
    out.put("vni", vip.vni().value());
    out.put("ip", vip.ip().toString());
  }

  private static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static @Nullable Map<String, Object> entry(@Nullable XdeMapping entry) {
    if (entry == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("mac", entry.mac().toString());
    out.put("underlay_ip", entry.underlayIp().toString());
    return out;
  }

  /** A summary; without samples its percentiles are null (there are none), its count 0. */
  private static Map<String, Object> percentiles(Percentiles p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("p50", p.empty() ? null : p.p50());
    out.put("p90", p.empty() ? null : p.p90());
    out.put("p99", p.empty() ? null : p.p99());
    out.put("max", p.empty() ? null : p.max());
    out.put("count", p.count());
    return out;
  }

  private static Map<String, Object> staleFlows(StaleFlows f) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("flow_seconds", f.flowSeconds());
    out.put("stale_flow_seconds", f.staleSeconds());
    out.put("stale_flow_seconds_entry_right", f.cachedSeconds());
    out.put("stale_flow_seconds_without_clearing", f.staleWithoutClearingSeconds());
    out.put("stale_flow_seconds_without_clearing_entry_right", f.cachedWithoutClearingSeconds());
    out.put("conversations", f.conversations());
    out.put("uft_clears", f.uftClears());
    out.put("uft_clears_per_port_minute", f.clearsPerPortMinute());
    return out;
  }

  private static Map<String, Object> exposure(Exposure.Result e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("sled_key_seconds", e.sledKeySeconds());
    out.put("gaps", e.gaps());
    out.put("open_at_end", e.openAtEnd());
    out.put("window_ms", e.window().toMillis());
    Exposure.Gap worst = e.worst();
    if (worst == null) {
      out.put("worst_gap_ms", 0.0);
      out.put("worst_gap", null);
    } else {
      out.put("worst_gap_ms", worst.length().toNanos() / 1e6);
      Map<String, Object> gap = new LinkedHashMap<>();
      at(gap, worst.sled(), worst.vip());
      gap.put("from", worst.from().toString());
      gap.put("cause", name(worst.cause()));
      out.put("worst_gap", gap);
    }
    Map<String, Object> byCause = new LinkedHashMap<>();
    e.byCause()
        .forEach(
            (cause, share) -> {
              Map<String, Object> item = new LinkedHashMap<>();
              item.put("sled_key_seconds", share.sledKeySeconds());
              item.put("gaps", share.gaps());
              byCause.put(name(cause), item);
            });
    out.put("by_cause", byCause);
    return out;
  }

  private static Map<String, Object> workload(Script.Counts c) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("instances", c.instances());
    out.put("starts", c.starts());
    out.put("migrations", c.migrations());
    out.put("migrations_failed", c.migrationsFailed());
    out.put("migrations_failed_after_handoff", c.lostAfterHandoff());
    out.put("stops", c.stops());
    out.put("crashes", c.crashes());
    out.put("deletes", c.deletes());
    out.put("nics_replaced", c.nicsReplaced());
    out.put("ip_reuses", c.ipReuses());
    out.put("duplicates", c.duplicates());
    out.put("stale", c.stale());
    out.put("reordered", c.reordered());
    out.put("late_redeliveries", c.lateRedeliveries());
    out.put("port_ops", c.portOps());
    return out;
  }
}
