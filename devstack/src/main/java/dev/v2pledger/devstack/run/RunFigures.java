package dev.v2pledger.devstack.run;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.devstack.oracle.Oracle;
import dev.v2pledger.devstack.oracle.Placement;
import dev.v2pledger.devstack.report.Exposure;
import dev.v2pledger.devstack.report.TruthTimeline;
import dev.v2pledger.devstack.sled.Sled;
import dev.v2pledger.devstack.stack.AckWatch;
import dev.v2pledger.devstack.stack.KafkaStack;
import dev.v2pledger.devstack.workload.Script;
import dev.v2pledger.devstack.workload.SledSpec;
import dev.v2pledger.devstack.workload.Step;
import dev.v2pledger.runtime.kafka.AckIndex;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.runtime.kafka.ProjectedTopic;
import dev.v2pledger.runtime.stats.Latencies;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vip;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * What a ledger run reports besides its verdict, computed from the sleds, the topics and the
 * meters: the tables, where the oracle and the world disagree, this run's latencies, the
 * projectors' transactions, drift repairs and the progress line.
 */
final class RunFigures {
  private RunFigures() {}

  /**
   * Each sled's table, by sled id.
   *
   * @throws IllegalStateException when two sleds have one id: one table would hide the other
   */
  static Map<SledId, Map<Vip, XdeMapping>> tables(List<Sled> sleds) {
    checkDistinct(sleds.stream().map(Sled::spec).toList());
    Map<SledId, Map<Vip, XdeMapping>> out = new LinkedHashMap<>();
    for (Sled sled : sleds) {
      out.put(sled.spec().id(), sled.table());
    }
    return out;
  }

  /**
   * Refuses two sleds with one id (remote appliers started with the same {@code --sled-id}, or one
   * endpoint given twice): the verdict keys tables by sled id and would compare only one of them.
   */
  static void checkDistinct(List<SledSpec> sleds) {
    Map<SledId, SledSpec> seen = new HashMap<>();
    for (SledSpec sled : sleds) {
      SledSpec before = seen.putIfAbsent(sled.id(), sled);
      if (before != null) {
        throw new IllegalStateException(
            "sleds "
                + (before.index() + 1)
                + " and "
                + (sled.index() + 1)
                + " both say they are sled "
                + sled.id()
                + ": each sled needs its own id");
      }
    }
  }

  /**
   * Each sled's entries in the excluded VNIs as its own port creates and destroys of the scripts
   * leave them (XDE's side effects; the applier never touches these VNIs).
   */
  static Map<SledId, Map<Vip, XdeMapping>> excludedPorts(List<Script> scripts) {
    Map<SledId, Map<Vip, XdeMapping>> out = new LinkedHashMap<>();
    for (Script script : scripts) {
      for (Step step : script.steps()) {
        if (step instanceof Step.CreatePort create
            && LedgerRun.EXCLUDED.contains(create.vip().vni())) {
          SledSpec sled = script.sleds().get(create.sled());
          out.computeIfAbsent(sled.id(), s -> new LinkedHashMap<>())
              .put(create.vip(), new XdeMapping(create.vip(), create.mac(), sled.underlay()));
        } else if (step instanceof Step.DestroyPort destroy
            && LedgerRun.EXCLUDED.contains(destroy.vip().vni())) {
          Map<Vip, XdeMapping> ports = out.get(script.sleds().get(destroy.sled()).id());
          if (ports != null) {
            ports.remove(destroy.vip());
          }
        }
      }
    }
    return out;
  }

  static int countCompared(Map<Vip, XdeMapping> expected) {
    return (int)
        expected.keySet().stream().filter(v -> !LedgerRun.EXCLUDED.contains(v.vni())).count();
  }

  /** Where the oracle (folding the events) and the workload's world disagree at the end. */
  static List<String> truthMismatches(
      Oracle oracle, TruthTimeline truth, List<Script> scripts, Map<Vip, XdeMapping> expected) {
    List<String> out = new ArrayList<>();
    Map<Vip, XdeMapping> real = new TreeMap<>(truth.current());
    Map<Vip, XdeMapping> folded = new TreeMap<>(expected);
    for (Vip vip : union(real, folded)) {
      if (!Exposure.same(real.get(vip), folded.get(vip))) {
        out.add(vip + ": the world has " + real.get(vip) + ", the oracle " + folded.get(vip));
      }
    }
    Map<InstanceId, Placement> located = oracle.locations();
    Map<InstanceId, SledId> where = new HashMap<>();
    for (Script script : scripts) {
      script
          .finalLocations()
          .forEach((instance, sled) -> where.put(instance, script.sleds().get(sled).id()));
    }
    for (InstanceId instance : unionKeys(where, located)) {
      SledId world = where.get(instance);
      Placement placed = located.get(instance);
      SledId folded2 = placed == null ? null : placed.sled();
      if (world == null ? folded2 != null : !world.equals(folded2)) {
        out.add(
            "instance "
                + instance
                + ": the world has it on "
                + world
                + ", the oracle on "
                + folded2);
      }
    }
    return out;
  }

  static List<Vip> union(Map<Vip, ?> a, Map<Vip, ?> b) {
    TreeMap<Vip, Boolean> all = new TreeMap<>();
    a.keySet().forEach(k -> all.put(k, true));
    b.keySet().forEach(k -> all.put(k, true));
    return new ArrayList<>(all.keySet());
  }

  static List<InstanceId> unionKeys(Map<InstanceId, ?> a, Map<InstanceId, ?> b) {
    List<InstanceId> all = new ArrayList<>(a.keySet());
    for (InstanceId id : b.keySet()) {
      if (!a.containsKey(id)) {
        all.add(id);
      }
    }
    return all;
  }

  /** Latencies of this run's records only, on this run's sleds (replay-tool's figures). */
  static Latencies latencies(
      KafkaStack kafka, List<SledId> sleds, Map<Integer, Long> mappingsStart, Duration timeout) {
    KafkaAccess access = new KafkaAccess(kafka.kafka(), timeout);
    ProjectedTopic topic = ProjectedTopic.read(access, key -> false, true);
    List<ProjectedTopic.Arrival> mine = new ArrayList<>();
    for (ProjectedTopic.Arrival arrival : topic.all()) {
      if (arrival.offset() >= mappingsStart.getOrDefault(arrival.partition(), 0L)) {
        mine.add(arrival);
      }
    }
    return Latencies.of(mine, AckIndex.read(access), sleds);
  }

  /** The local projectors' transactions (warm-up included): how the time box behaved. */
  static Optional<String> projectorNote(MeterRegistry registry) {
    Timer commit = registry.find("v2p.projector.transaction.commit").timer();
    DistributionSummary events = registry.find("v2p.projector.transaction.events").summary();
    if (commit == null || events == null || commit.count() == 0) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "projector(s), warm-up included: %,d transactions of %.1f events on average (max %.0f);"
                + " commit (states, offsets, commit) mean %.1f ms, max %.1f ms",
            commit.count(),
            events.mean(),
            events.max(),
            commit.mean(TimeUnit.MILLISECONDS),
            commit.max(TimeUnit.MILLISECONDS)));
  }

  /** Beyond this the wall clock's move during a run is worth a note. */
  static final Duration CLOCK_MOVE_NOTED = Duration.ofSeconds(1);

  /**
   * A note when the wall clock moved by more than {@link #CLOCK_MOVE_NOTED} against the run's own
   * clock during the run: the figures taken on the wall clock (convergence, event logged -> polled,
   * records sent -> polled on a sled) then include the move, exposure (on the run's clock) not.
   */
  static Optional<String> clockNote(Duration wallAhead) {
    if (wallAhead.abs().compareTo(CLOCK_MOVE_NOTED) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        String.format(
            Locale.ROOT,
            "the wall clock moved %.1f s %s the run's own clock during the run (set, or this"
                + " machine paused): the figures measured on the wall clock (convergence, event"
                + " logged -> polled, records sent -> polled on a sled) include it, exposure does"
                + " not",
            Math.abs(wallAhead.toMillis()) / 1000.0,
            wallAhead.isNegative() ? "behind" : "ahead of"));
  }

  static double drift(List<Sled> sleds) {
    double sum = 0;
    for (Sled sled : sleds) {
      sum += sled.driftRepairs();
    }
    return sum;
  }

  static String progressLine(
      KafkaStack kafka,
      AckWatch acks,
      List<SledId> sledIds,
      ScriptPlayer player,
      Map<Integer, Long> eventsStart,
      Map<Integer, Long> mappingsStart) {
    long events = sum(kafka.endOffsets(Topics.EVENTS)) - sum(eventsStart);
    long folded = sum(kafka.projectorOffsets()) - sum(eventsStart);
    Map<Integer, Long> mappingsEnd = kafka.endOffsets(Topics.MAPPINGS);
    long mappings = sum(mappingsEnd) - sum(mappingsStart);
    long applied = acks.appliedEverywhere(sledIds, mappingsEnd.keySet()) - sum(mappingsStart);
    return String.format(
        "published %,d events, projected %,d (lag %,d); v2p.mappings %,d offsets, applied on all %d"
            + " sleds %,d (lag %,d)",
        player.published(),
        Math.max(0, folded),
        Math.max(0, events - folded),
        mappings,
        sledIds.size(),
        Math.max(0, applied),
        Math.max(0, mappings - applied));
  }

  static long sum(Map<Integer, Long> offsets) {
    long sum = 0;
    for (long offset : offsets.values()) {
      sum += offset;
    }
    return sum;
  }
}
