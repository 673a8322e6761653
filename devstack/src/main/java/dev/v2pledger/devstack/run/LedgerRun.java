package dev.v2pledger.devstack.run;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.Mutation;
import dev.v2pledger.devstack.oracle.Oracle;
import dev.v2pledger.devstack.report.Exposure;
import dev.v2pledger.devstack.report.RunReport;
import dev.v2pledger.devstack.report.StaleFlows;
import dev.v2pledger.devstack.report.TruthTimeline;
import dev.v2pledger.devstack.report.Verdict;
import dev.v2pledger.devstack.report.Violation;
import dev.v2pledger.devstack.sled.LocalSled;
import dev.v2pledger.devstack.sled.RemoteSled;
import dev.v2pledger.devstack.sled.Sled;
import dev.v2pledger.devstack.stack.AckWatch;
import dev.v2pledger.devstack.stack.BrokerRequests;
import dev.v2pledger.devstack.stack.ClusterState;
import dev.v2pledger.devstack.stack.CpuShares;
import dev.v2pledger.devstack.stack.Footprint;
import dev.v2pledger.devstack.stack.HopProbe;
import dev.v2pledger.devstack.stack.KafkaStack;
import dev.v2pledger.devstack.stack.Stages;
import dev.v2pledger.devstack.traffic.Conversations;
import dev.v2pledger.devstack.workload.Script;
import dev.v2pledger.devstack.workload.SledSpec;
import dev.v2pledger.devstack.workload.Step.TruthChange;
import dev.v2pledger.runtime.stats.Latencies;
import dev.v2pledger.runtime.stats.Percentiles;
import dev.v2pledger.runtime.time.Durations;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import dev.v2pledger.schema.publish.EventPublisher;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A run of v2p-ledger: the cluster and topics, the projectors and sleds (local, or remote
 * appliers), the script played (events published and folded by the oracle as they go, ports created
 * and destroyed, triggers sent, the truth recorded), then convergence awaited (the projectors
 * caught up, every sled's watermark past the end of {@code v2p.mappings}, every table equal to the
 * oracle's) within a deadline, and the report: verdict, latencies from {@code v2p.acks}, exposure.
 */
public final class LedgerRun {
  /** VNIs no sled table is compared on: the services VNI, which appliers never touch. */
  public static final Set<Vni> EXCLUDED = Set.of(Vni.SERVICES);

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

  /** The report and the script it played (the baseline plays the same one). */
  public record Outcome(RunReport report, Script script) {}

  private final RunOptions options;
  private final MonotonicClock clock = new MonotonicClock();

  /** Every local component's meters; a composite, so that a test can add a registry of its own. */
  private final CompositeMeterRegistry registry =
      new CompositeMeterRegistry(Clock.SYSTEM, List.of(new SimpleMeterRegistry()));

  private final @Nullable PrintStream log;

  private LedgerRun(RunOptions options) {
    this.options = options;
    this.log = options.progress();
  }

  public static Outcome run(RunOptions options, ScriptSource source, RunHooks hooks)
      throws InterruptedException {
    return new LedgerRun(options).go(source, hooks);
  }

  private Outcome go(ScriptSource source, RunHooks hooks) throws InterruptedException {
    say(
        options.stack().external() == null
            ? "starting an embedded Kafka broker"
            : "connecting to Kafka at " + options.stack().external().get("bootstrap.servers"));
    try (KafkaStack kafka =
        KafkaStack.start(
            options.stack().external(),
            options.stack().partitions(),
            registry,
            b ->
                b.maxTxAge(options.local().maxTxAge())
                    .retireAfter(options.local().retireAfter()))) {
      List<Sled> sleds = new ArrayList<>();
      Outcome outcome;
      try {
        outcome = withStack(kafka, sleds, source, hooks);
      } finally {
        sleds.forEach(Sled::close);
      }
      hooks.beforeTeardown(outcome, kafka);
      return outcome;
    }
  }

  private Outcome withStack(KafkaStack kafka, List<Sled> sleds, ScriptSource source, RunHooks hooks)
      throws InterruptedException {
    List<SledSpec> specs =
        options.stack().remoteSleds()
            ? RemoteSled.connectAll(options.stack().sledEndpoints(), sleds)
            : SledSpec.rack(options.stack().sleds());
    RunFigures.checkDistinct(specs);
    ClusterState cluster =
        kafka.broker() == null
            ? ClusterState.read(kafka.kafka(), KAFKA_TIMEOUT)
            : ClusterState.EMPTY;
    Script warmup =
        options.pace().warmupEvents() > 0 ? ScriptSource.warmup(options, specs, cluster) : null;
    Script script = source.script(specs, warmup == null ? cluster : cluster.after(warmup));
    if (!options.stack().remoteSleds()) {
      for (SledSpec spec : specs) {
        sleds.add(
            LocalSled.withApplier(
                spec,
                clock,
                options.local().applierKafka(kafka.kafka()),
                options.local().reconcileInterval(),
                registry));
      }
    }
    kafka.startProjectors(options.stack().projectors(), hooks::startProjector);
    say(
        String.format(
            "Kafka %s; %d projector(s) here, %d sled(s)%s; waiting until ready",
            kafka.bootstrapServers(),
            options.stack().projectors(),
            sleds.size(),
            options.stack().remoteSleds() ? " (remote)" : " (simulated XDE + applier each)"));
    Convergence.awaitReady(kafka, sleds, READY_TIMEOUT);
    return play(kafka, sleds, cluster, warmup, script, hooks);
  }

  private Outcome play(
      KafkaStack kafka,
      List<Sled> sleds,
      ClusterState cluster,
      @Nullable Script warmup,
      Script script,
      RunHooks hooks)
      throws InterruptedException {
    List<SledId> sledIds = sleds.stream().map(s -> s.spec().id()).toList();
    Map<Integer, Long> mappingsBegin = kafka.endOffsets(Topics.MAPPINGS);
    Map<Integer, Long> eventsBegin = kafka.endOffsets(Topics.EVENTS);
    Oracle oracle = new Oracle(cluster.inForce());
    TruthTimeline truth = new TruthTimeline(cluster.inForce());
    RunningStack running = new RunningStack(kafka, List.copyOf(sleds));
    ScriptPlayer player = new ScriptPlayer(clock, options.pace().rate());
    String pace =
        options.pace().rate() > 0
            ? String.format("%,.0f events/s", options.pace().rate())
            : "as fast as possible";
    try (EventPublisher publisher =
            new EventPublisher(kafka.kafka(), "devstack-workload", Duration.ofSeconds(30));
        AckWatch acks = new AckWatch(kafka.kafka(), kafka.partitionCount(Topics.ACKS));
        Conversations talk =
            Conversations.start(Conversations.devicesOf(sleds), truth, options.seed(), registry);
        HopProbe hop =
            options.hopProbe()
                ? HopProbe.start(kafka.kafka(), kafka.admin(), Duration.ofMillis(10))
                : null;
        Progress progress =
            new Progress(
                log,
                () ->
                    RunFigures.progressLine(
                        kafka, acks, sledIds, player, eventsBegin, mappingsBegin))) {
      long[] warmupEvents = {-1}; // hooks see the measured workload's events only
      ScriptPlayer.Target target =
          new ScriptPlayer.Target() {
            @Override
            public void publish(InstanceEvent event) {
              oracle.apply(event);
              publisher.publish(event, options.pace().convergeTimeout()); // a registry stall waits
            }

            @Override
            public void trigger(Sled sled) {
              sled.requestReconcile();
            }

            @Override
            public void truth(TruthChange change, Instant at) {
              truth.record(at, change.entries());
            }

            @Override
            public void settle() throws InterruptedException {
              publisher.flush();
              long deadline = System.nanoTime() + options.pace().convergeTimeout().toNanos();
              Map<Integer, Long> eventsEnd = kafka.endOffsets(Topics.EVENTS);
              boolean projected =
                  Convergence.until(
                      () -> Convergence.caughtUp(kafka.projectorOffsets(), eventsEnd),
                      deadline,
                      10);
              Map<Integer, Long> mappingsEnd = kafka.endOffsets(Topics.MAPPINGS);
              if (!projected
                  || !Convergence.until(() -> acks.covered(sledIds, mappingsEnd), deadline, 5)) {
                throw new RunFailedException(
                    "a scripted settle point was not reached within --converge-timeout "
                        + Durations.readable(options.pace().convergeTimeout()));
              }
            }

            @Override
            public void afterEvent(long published) {
              long before = warmupEvents[0];
              if (before >= 0) {
                hooks.afterEvent(published - before, running);
              }
            }
          };
      if (warmup != null) {
        say(String.format("warming up: %,d events (%s), not measured", warmup.events(), pace));
        player.play(warmup, sleds, target);
        publisher.flush();
        if (!Convergence.await(
                kafka,
                sleds,
                acks,
                sledIds,
                oracle.expected(),
                options.pace().convergeTimeout(),
                options.stack().remoteSleds())
            .all()) {
          throw new RunFailedException(
              "the warm-up did not converge within --converge-timeout "
                  + Durations.readable(options.pace().convergeTimeout()));
        }
      }
      Map<Integer, Long> mappingsStart = kafka.endOffsets(Topics.MAPPINGS);
      double driftBefore = RunFigures.drift(sleds);
      say(
          String.format(
              "playing %,d events (%s) on %d sleds, seed %d",
              script.events(), pace, sleds.size(), options.seed()));
      if (hop != null) {
        hop.measure(true);
      }
      Stages stages = Stages.open(registry);
      Map<String, Long> brokerCounts = BrokerRequests.counts();
      CpuShares cpu = CpuShares.open();
      talk.reset();
      warmupEvents[0] = player.published();
      Instant[] span = player.play(script, sleds, target);
      if (hop != null) {
        hop.measure(false);
      }
      publisher.flush();
      say(
          String.format(
              "workload done: %,d events in %.1f s (after %,d of warm-up); waiting for every sled"
                  + " to converge",
              player.published() - warmupEvents[0],
              Duration.between(span[0], span[1]).toNanos() / 1e9,
              warmupEvents[0]));
      Map<Vip, XdeMapping> expected = oracle.expected();
      Convergence convergence =
          Convergence.await(
              kafka,
              sleds,
              acks,
              sledIds,
              expected,
              options.pace().convergeTimeout(),
              options.stack().remoteSleds());
      Instant end = clock.instant();
      StaleFlows flows = talk.result();
      List<Stages.Stage> stageList = stages.close();
      brokerCounts = BrokerRequests.since(brokerCounts, BrokerRequests.counts());
      Map<String, Double> cpuShares = cpu.close();
      hooks.afterConvergence(running);
      progress.stop();
      return new Outcome(
          report(
              kafka,
              sleds,
              sledIds,
              warmup == null ? List.of(script) : List.of(warmup, script),
              oracle,
              truth,
              expected,
              span,
              end,
              convergence,
              mappingsStart,
              RunFigures.drift(sleds) - driftBefore,
              hop == null ? null : hop.micros(),
              hop == null ? null : hop.transactionalMicros(),
              stageList,
              brokerCounts,
              cpuShares,
              flows),
          script);
    }
  }

  private RunReport report(
      KafkaStack kafka,
      List<Sled> sleds,
      List<SledId> sledIds,
      List<Script> scripts,
      Oracle oracle,
      TruthTimeline truth,
      Map<Vip, XdeMapping> expected,
      Instant[] span,
      Instant end,
      Convergence convergence,
      Map<Integer, Long> mappingsStart,
      double driftRepairs,
      @Nullable Percentiles hop,
      @Nullable Percentiles transactionalHop,
      List<Stages.Stage> stages,
      Map<String, Long> brokerCounts,
      Map<String, Double> cpu,
      StaleFlows flows) {
    Map<SledId, Map<Vip, XdeMapping>> tables = RunFigures.tables(sleds);
    List<Violation> violations = new ArrayList<>(Verdict.compare(tables, expected, EXCLUDED));
    violations.addAll( // the services VNI: as the sleds' own ports left it, never touched
        Verdict.compareUntouched(tables, RunFigures.excludedPorts(scripts), EXCLUDED));
    List<String> mismatches = RunFigures.truthMismatches(oracle, truth, scripts, expected);
    Map<SledId, List<Mutation>> logs = new LinkedHashMap<>();
    sleds.forEach(sled -> logs.put(sled.spec().id(), sled.mutations()));
    Exposure.Result exposure = Exposure.compute(logs, truth, span[0], end, EXCLUDED);
    Latencies latencies = RunFigures.latencies(kafka, sledIds, mappingsStart, KAFKA_TIMEOUT);
    List<String> notes = new ArrayList<>();
    if (!convergence.all()) {
      notes.add(
          String.format(
              "within --converge-timeout %s: projectors caught up %s, every sled acked %s, every"
                  + " table right %s",
              options.pace().convergeTimeout(),
              convergence.projected(),
              convergence.acked(),
              convergence.tables()));
    }
    for (Sled sled : sleds) {
      if (sled instanceof LocalSled local && local.restarts() > 0) {
        notes.add(
            "sled " + sled.spec().id() + ": applier restarted " + local.restarts() + " time(s)");
      }
    }
    RunFigures.projectorNote(registry).ifPresent(notes::add);
    RunFigures.clockNote(clock.wallAhead()).ifPresent(notes::add);
    long dropped = oracle.droppedReports();
    if (dropped > 0) {
      notes.add("oracle: " + dropped + " buffered report(s) dropped (more than 16 waiting)");
    }
    return new RunReport(
        "v2p-ledger",
        options.seed(),
        sleds.size(),
        options.stack().projectors(),
        kafka.broker() == null ? kafka.bootstrapServers() : "embedded " + kafka.bootstrapServers(),
        scripts.get(scripts.size() - 1).counts(),
        Duration.between(span[0], span[1]),
        latencies,
        hop,
        transactionalHop,
        driftRepairs,
        violations,
        mismatches,
        exposure,
        flows,
        convergence.all(),
        convergence.after(),
        RunFigures.countCompared(expected),
        stages,
        BrokerRequests.requests(brokerCounts),
        BrokerRequests.errors(brokerCounts),
        cpu,
        Footprint.read(kafka.kafka(), registry, KAFKA_TIMEOUT),
        notes);
  }

  private void say(String line) {
    if (log != null) {
      log.println("devstack: " + line);
    }
  }
}
