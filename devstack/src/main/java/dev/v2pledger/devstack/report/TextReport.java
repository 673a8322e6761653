package dev.v2pledger.devstack.report;

import dev.v2pledger.devstack.stack.Footprint;
import dev.v2pledger.devstack.stack.Stages;
import dev.v2pledger.devstack.workload.Script;
import dev.v2pledger.runtime.stats.Latencies;
import dev.v2pledger.runtime.stats.Percentiles;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The report for people: a few lines per run, the verdict last. */
public final class TextReport {
  private static final int MAX_LISTED = 20;

  private TextReport() {}

  public static String of(RunReport report, @Nullable RunReport baseline) {
    StringBuilder out = new StringBuilder();
    run(out, report);
    if (baseline != null) {
      out.append('\n');
      run(out, baseline);
      Double ratio = JsonReport.ratio(report, baseline);
      out.append('\n')
          .append(
              String.format(
                  Locale.ROOT,
                  "exposure, same workload: v2p-ledger %s, rpw baseline %s: ratio %s%n",
                  seconds(report.exposure().sledKeySeconds()),
                  seconds(baseline.exposure().sledKeySeconds()),
                  ratio == null ? "n/a (the baseline had none)" : ratioText(ratio)));
      out.append(
          String.format(
              Locale.ROOT,
              "stale flows, same workload: v2p-ledger %s (%s without clearing flow tables), rpw"
                  + " baseline %s flow-seconds%n",
              seconds(report.flows().staleSeconds()),
              seconds(report.flows().staleWithoutClearingSeconds()),
              seconds(baseline.flows().staleSeconds())));
    }
    return out.toString();
  }

  /** Requests per second over the window, in all and for the five most frequent types. */
  private static void brokerRequests(StringBuilder out, RunReport r) {
    double seconds = r.endToEndSeconds();
    if (r.brokerRequests().isEmpty() || seconds <= 0) {
      return;
    }
    long total = r.brokerRequests().values().stream().mapToLong(Long::longValue).sum();
    StringBuilder parts = new StringBuilder();
    r.brokerRequests().entrySet().stream()
        .limit(5)
        .forEach(
            e ->
                parts.append(
                    String.format(Locale.ROOT, ", %s %,.0f", e.getKey(), e.getValue() / seconds)));
    out.append(
        String.format(
            Locale.ROOT,
            "  broker requests in the window: %,.0f/s (%,.1f per event)%s%n",
            total / seconds,
            r.events() == 0 ? 0.0 : (double) total / r.events(),
            parts));
  }

  private static void cpu(StringBuilder out, RunReport r) {
    if (r.cpu().isEmpty()) {
      return;
    }
    StringBuilder parts = new StringBuilder();
    double total = 0;
    for (Map.Entry<String, Double> e : r.cpu().entrySet()) {
      parts.append(parts.length() == 0 ? "" : ", ");
      parts.append(String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue()));
      if (e.getKey().equals("appliers") && r.sleds() > 0) {
        parts.append(String.format(Locale.ROOT, " (%.3f per sled)", e.getValue() / r.sleds()));
      }
      total += e.getValue();
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%scpu in the window, cores busy: %s; this JVM %.2f of %d%n",
            r.stages().isEmpty() ? "" : "  ", // a line of the stages block when there is one
            parts,
            total,
            Runtime.getRuntime().availableProcessors()));
  }

  private static void hop(StringBuilder out, String what, @Nullable Percentiles hop) {
    if (hop != null && hop.count() > 0) {
      out.append(
          String.format(
              Locale.ROOT,
              "%s: p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms (n=%,d)%n",
              what,
              hop.p50() / 1000.0,
              hop.p90() / 1000.0,
              hop.p99() / 1000.0,
              hop.max() / 1000.0,
              hop.count()));
    }
  }

  private static void stages(StringBuilder out, List<Stages.Stage> stages) {
    if (stages.isEmpty()) {
      return;
    }
    out.append("stages, ms p50 / p90 / p99 / max (measured window, every runner and sled):\n");
    for (Stages.Stage stage : stages) {
      Percentiles p = stage.micros();
      if (p.empty()) {
        out.append(String.format(Locale.ROOT, "  %-40s no samples (n=0)%n", stage.label()));
        continue;
      }
      out.append(
          String.format(
              Locale.ROOT,
              "  %-40s %.1f / %.1f / %.1f / %.1f (n=%,d)%n",
              stage.label(),
              p.p50() / 1000.0,
              p.p90() / 1000.0,
              p.p99() / 1000.0,
              p.max() / 1000.0,
              p.count()));
    }
  }

  private static void footprint(StringBuilder out, @Nullable Footprint f) {
    if (f == null) {
      return;
    }
    out.append("kept at the end: ")
        .append(topic("v2p.mappings", f.mappings()))
        .append("; ")
        .append(topic("v2p.instance-state", f.states()))
        .append('\n');
    if (f.projectorStates() != null || f.applierEntries() != null) {
      out.append("  in memory: ");
      if (f.projectorStates() != null) {
        out.append(
            String.format(Locale.ROOT, "%,d instance states (projectors)", f.projectorStates()));
      }
      if (f.applierEntries() != null) {
        out.append(f.projectorStates() != null ? ", " : "")
            .append(
                String.format(
                    Locale.ROOT, "%,d desired mappings (largest applier)", f.applierEntries()));
      }
      out.append('\n');
    }
  }

  private static String topic(String name, Footprint.Topic t) {
    return String.format(
        Locale.ROOT,
        "%s %,d records (%s), after compaction %,d keys (%s) + %,d tombstones",
        name,
        t.records(),
        bytes(t.bytes()),
        t.liveKeys(),
        bytes(t.liveBytes()),
        t.tombstones());
  }

  private static String bytes(long bytes) {
    return bytes < 10_000
        ? String.format(Locale.ROOT, "%,d B", bytes)
        : bytes < 10_000_000
            ? String.format(Locale.ROOT, "%,.0f KB", bytes / 1e3)
            : String.format(Locale.ROOT, "%,.1f MB", bytes / 1e6);
  }

  private static String ratioText(double ratio) {
    return ratio == 0 ? "0" : String.format(Locale.ROOT, "%.2g (1/%,.0f)", ratio, 1 / ratio);
  }

  private static void run(StringBuilder out, RunReport r) {
    Script.Counts w = r.workload();
    out.append(
        String.format(
            Locale.ROOT,
            "%s: %d sleds, %s, seed %d%n",
            r.mode(),
            r.sleds(),
            r.mode().equals("rpw")
                ? "re-push task (no Kafka)"
                : r.projectors() + " projector(s) here, Kafka " + r.cluster(),
            r.seed()));
    out.append(
        String.format(
            Locale.ROOT,
            "workload: %,d instances, %,d starts, %,d migrations (%,d failed, %,d of them after the"
                + " hand-off), %,d stops, %,d"
                + " crashes, %,d deletes, %,d NICs replaced, %,d IPs reused, %,d duplicate and %,d"
                + " stale events, %,d held back by their publisher, %,d sent again late, %,d port"
                + " creates/destroys%n",
            w.instances(),
            w.starts(),
            w.migrations(),
            w.migrationsFailed(),
            w.lostAfterHandoff(),
            w.stops(),
            w.crashes(),
            w.deletes(),
            w.nicsReplaced(),
            w.ipReuses(),
            w.duplicates(),
            w.stale(),
            w.reordered(),
            w.lateRedeliveries(),
            w.portOps()));
    out.append(
        String.format(
            Locale.ROOT,
            "events: %,d published in %.1f s (%,.0f events/s); all applied everywhere %.1f s after"
                + " the first (%,.0f events/s end to end)%n",
            r.events(),
            r.wall().toNanos() / 1e9,
            r.eventsPerSecond(),
            r.endToEndSeconds(),
            r.endToEndPerSecond()));
    Latencies latencies = r.latencies();
    if (latencies != null) {
      out.append("convergence, event logged -> applied on every sled (v2p.acks): ")
          .append(percentiles(latencies.allSleds(), "ms"));
      if (latencies.notYetEverywhere() > 0) {
        out.append(
            String.format(
                Locale.ROOT, " (%,d records not on every sled)", latencies.notYetEverywhere()));
      }
      out.append('\n')
          .append("  event logged -> projected to v2p.mappings: ")
          .append(percentiles(latencies.projected(), "ms"))
          .append('\n');
    }
    stages(out, r.stages());
    if (!r.stages().isEmpty() && r.cluster().startsWith("embedded")) {
      brokerRequests(out, r);
      out.append("  broker errors in the window: ")
          .append(r.brokerErrors().isEmpty() ? "none" : r.brokerErrors().toString())
          .append('\n');
    }
    cpu(out, r);
    hop(out, "one plain Kafka hop (produce -> consume) in the same run", r.hop());
    hop(
        out,
        "one transactional hop (begin, produce, commit -> read_committed)",
        r.transactionalHop());
    out.append(
        String.format(
            Locale.ROOT,
            r.mode().equals("rpw")
                ? "re-push calls: %,.0f%n"
                : "drift repairs: %,.0f (entries XDE changed on port create/destroy, put back by"
                    + " passes)%n",
            r.driftRepairs()));
    exposure(out, r.exposure());
    out.append(r.flows().describe(r.mode().equals("rpw")));
    footprint(out, r.footprint());
    r.notes().forEach(note -> out.append(note).append('\n'));
    if (r.truthMismatches().isEmpty()) {
      out.append("oracle vs ground truth: agree\n");
    } else {
      out.append(
          String.format(
              Locale.ROOT,
              "oracle vs ground truth: %d disagreement(s)%n",
              r.truthMismatches().size()));
      r.truthMismatches().stream()
          .limit(MAX_LISTED)
          .forEach(m -> out.append("  ").append(m).append('\n'));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%s after the workload: %s%n",
            r.converged() ? "converged" : "NOT converged",
            millis(r.convergedAfter().toNanos() / 1e6)));
    if (r.passed()) {
      out.append(
          String.format(
              Locale.ROOT,
              "verdict: PASS, 0 violations: every sled's XDE table equals the %s's %,d entries"
                  + " (VNI 100: as its own ports left it)%n",
              r.mode().equals("rpw") ? "ground truth" : "oracle",
              r.expectedEntries()));
    } else if (r.violations().isEmpty()) { // the exit code follows passed(): so does this line
      out.append(
          String.format(
              Locale.ROOT,
              "verdict: FAIL, 0 violations, but %s%n",
              !r.converged()
                  ? "not every sled converged in time (above)"
                  : "the oracle and the ground truth disagree (above)"));
    } else {
      out.append(
          String.format(Locale.ROOT, "verdict: FAIL, %,d violation(s):%n", r.violations().size()));
      r.violations().stream()
          .limit(MAX_LISTED)
          .forEach(v -> out.append("  ").append(v).append('\n'));
      if (r.violations().size() > MAX_LISTED) {
        out.append(
            String.format(
                Locale.ROOT,
                "  ... and %,d more (--json lists 100)%n",
                r.violations().size() - MAX_LISTED));
      }
    }
  }

  private static void exposure(StringBuilder out, Exposure.Result e) {
    out.append(
        String.format(
            Locale.ROOT,
            "exposure: %s sled-key-seconds in %,d gap(s) over %.1f s",
            seconds(e.sledKeySeconds()),
            e.gaps(),
            e.window().toNanos() / 1e9));
    Exposure.Gap worst = e.worst();
    if (worst != null) {
      out.append(
          String.format(
              Locale.ROOT,
              "; worst gap %s from %s (sled %s, %s, %s)",
              millis(worst.length().toNanos() / 1e6),
              worst.from().truncatedTo(ChronoUnit.MILLIS),
              worst.sled(),
              worst.vip(),
              cause(worst.cause())));
    }
    out.append('\n');
    if (!e.byCause().isEmpty()) {
      out.append("  by cause:");
      String sep = " ";
      for (Map.Entry<Exposure.Cause, Exposure.Share> share : e.byCause().entrySet()) {
        out.append(sep)
            .append(cause(share.getKey()))
            .append(' ')
            .append(seconds(share.getValue().sledKeySeconds()))
            .append(String.format(Locale.ROOT, " (%,d)", share.getValue().gaps()));
        sep = ", ";
      }
      out.append('\n');
    }
  }

  private static String cause(Exposure.Cause cause) {
    return switch (cause) {
      case PROPAGATION -> "propagation";
      case PORT_SIDE_EFFECT -> "XDE port side effect";
      case CONTROL_WRITE -> "control-plane write";
      case BEFORE_WINDOW -> "before the window";
    };
  }

  private static String percentiles(Percentiles p, String unit) {
    if (p.empty()) {
      return "no samples (n=0)";
    }
    return String.format(
        Locale.ROOT,
        "p50 %d %s  p90 %d %s  p99 %d %s  max %d %s (n=%,d)",
        p.p50(),
        unit,
        p.p90(),
        unit,
        p.p99(),
        unit,
        p.max(),
        unit,
        p.count());
  }

  static String seconds(double seconds) {
    if (seconds == 0) {
      return "0 s";
    }
    if (seconds < 0.001) {
      return String.format(Locale.ROOT, "%.1f us", seconds * 1e6);
    }
    if (seconds < 1) {
      return String.format(Locale.ROOT, "%.1f ms", seconds * 1e3);
    }
    return String.format(Locale.ROOT, "%.2f s", seconds);
  }

  private static String millis(double ms) {
    return ms < 1000
        ? String.format(Locale.ROOT, "%.1f ms", ms)
        : String.format(Locale.ROOT, "%.2f s", ms / 1000);
  }
}
