package dev.v2pledger.devstack.run;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.Mutation;
import dev.v2pledger.devstack.baseline.RpwManager;
import dev.v2pledger.devstack.report.Exposure;
import dev.v2pledger.devstack.report.RunReport;
import dev.v2pledger.devstack.report.StaleFlows;
import dev.v2pledger.devstack.report.TruthTimeline;
import dev.v2pledger.devstack.report.Verdict;
import dev.v2pledger.devstack.sled.LocalSled;
import dev.v2pledger.devstack.sled.Sled;
import dev.v2pledger.devstack.traffic.Conversations;
import dev.v2pledger.devstack.workload.Script;
import dev.v2pledger.devstack.workload.SledSpec;
import dev.v2pledger.devstack.workload.Step.Truth;
import dev.v2pledger.devstack.workload.Step.TruthChange;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vip;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The same script against today's approach: simulated devices with XDE's port side effects and no
 * applier, the database's view (where each instance is, as Nexus commits it: the script's committed
 * truth changes, with no saga or query latency) and the {@link RpwManager} activated by every
 * committed location change and every period. No Kafka.
 */
public final class RpwRun {
  private RpwRun() {}

  public static RunReport run(RunOptions options, Script script) throws InterruptedException {
    MonotonicClock clock = new MonotonicClock();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    @Nullable PrintStream log = options.progress();
    List<LocalSled> sleds = new ArrayList<>();
    for (SledSpec spec : script.sleds()) {
      sleds.add(LocalSled.deviceOnly(spec, clock, registry));
    }
    Map<Vip, XdeMapping> database = new ConcurrentHashMap<>();
    TruthTimeline truth = new TruthTimeline(Map.of());
    ScriptPlayer player = new ScriptPlayer(clock, options.pace().rate());
    if (log != null) {
      log.printf(
          "devstack: rpw baseline: %d simulated sleds, a re-push every %s and on every committed"
              + " location change, %s per call; playing the same %,d events%n",
          sleds.size(), options.rpw().period(), options.rpw().callLatency(), script.events());
    }
    try (RpwManager rpw =
            new RpwManager(
                    sleds.stream().map(LocalSled::device).toList(),
                    () -> List.copyOf(database.values()),
                    options.rpw().period(),
                    options.rpw().callLatency(),
                    LedgerRun.EXCLUDED)
                .start();
        Conversations talk =
            Conversations.start(Conversations.devicesOf(sleds), truth, options.seed(), registry);
        Progress progress =
            new Progress(
                log,
                () ->
                    String.format(
                        "played %,d events; re-push laps %,d, calls %,d",
                        player.published(), rpw.laps(), rpw.calls()))) {
      ScriptPlayer.Target target =
          new ScriptPlayer.Target() {
            @Override
            public void publish(InstanceEvent event) {
              // today's sled agents report to Nexus; nothing reaches the sleds from here
            }

            @Override
            public void trigger(Sled sled) {
              // no applier on the sled to trigger
            }

            @Override
            public void truth(TruthChange change, Instant at) {
              truth.record(at, change.entries());
              if (!change.locationCommitted()) {
                return; // the world moved; Nexus has not heard of it yet
              }
              for (Truth entry : change.entries()) {
                if (entry.expected() == null) {
                  database.remove(entry.vip());
                } else {
                  database.put(entry.vip(), entry.expected());
                }
              }
              rpw.activate(); // as the instance sagas do after committing
            }
          };
      Instant[] span = player.play(script, sleds, target);
      if (log != null) {
        log.printf(
            "devstack: rpw baseline: workload done in %.1f s; waiting for the re-push to fix every"
                + " sled%n",
            Duration.between(span[0], span[1]).toNanos() / 1e9);
      }
      Map<Vip, XdeMapping> expected = truth.current();
      Duration timeout =
          options.pace().convergeTimeout().compareTo(options.rpw().period().plusSeconds(10)) > 0
              ? options.pace().convergeTimeout()
              : options.rpw().period().plusSeconds(10);
      long start = System.nanoTime();
      boolean converged = false;
      while (System.nanoTime() - start < timeout.toNanos()) {
        if (Verdict.agree(
            RunFigures.tables(new ArrayList<Sled>(sleds)), expected, LedgerRun.EXCLUDED)) {
          converged = true;
          break;
        }
        Thread.sleep(10);
      }
      Duration after = Duration.ofNanos(System.nanoTime() - start);
      Instant end = clock.instant();
      StaleFlows flows = talk.result();
      progress.stop();
      Map<SledId, List<Mutation>> logs = new LinkedHashMap<>();
      sleds.forEach(sled -> logs.put(sled.spec().id(), sled.mutations()));
      List<String> notes =
          List.of(
              String.format(
                  "re-push task: %,d laps, %,d calls (%,d failed)",
                  rpw.laps(), rpw.calls(), rpw.failedCalls()));
      return new RunReport(
          "rpw",
          options.seed(),
          sleds.size(),
          0,
          "none",
          script.counts(),
          Duration.between(span[0], span[1]),
          null,
          null,
          null,
          rpw.calls(),
          Verdict.compare(
              RunFigures.tables(new ArrayList<Sled>(sleds)), expected, LedgerRun.EXCLUDED),
          List.of(),
          Exposure.compute(logs, truth, span[0], end, LedgerRun.EXCLUDED),
          flows,
          converged,
          after,
          (int)
              expected.keySet().stream().filter(v -> !LedgerRun.EXCLUDED.contains(v.vni())).count(),
          List.of(),
          Map.of(),
          Map.of(),
          Map.of(),
          null,
          notes);
    } finally {
      sleds.forEach(LocalSled::close);
    }
  }
}
