package dev.v2pledger.devstack.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.Mutation;
import dev.v2pledger.applier.xde.sim.Mutation.Op;
import dev.v2pledger.devstack.report.RunReport;
import dev.v2pledger.devstack.run.LedgerRun;
import dev.v2pledger.devstack.run.RunHooks;
import dev.v2pledger.devstack.run.RunOptions;
import dev.v2pledger.devstack.run.RunningStack;
import dev.v2pledger.devstack.sled.LocalSled;
import dev.v2pledger.devstack.sled.Sled;
import dev.v2pledger.devstack.testing.MappingRecords;
import dev.v2pledger.devstack.testing.Runs;
import dev.v2pledger.devstack.workload.Scenarios;
import dev.v2pledger.devstack.workload.Script;
import dev.v2pledger.devstack.workload.Step.CreatePort;
import dev.v2pledger.devstack.workload.WorkloadShape;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.Vip;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * DESIGN's three races, the race between publishers (a migration reported in full before Nexus'
 * event lands) and a migration whose sides disagree (the target fails after the hand-off), each
 * played as its exact sequence of events, port side effects and triggers through the whole stack
 * (projector, three sleds with appliers): every sled ends right, and the sled the race is about
 * shows the repair in its device's log.
 */
@WithKafka
class RacesIT {
  private final KafkaCluster kafka;

  RacesIT(KafkaCluster kafka) {
    this.kafka = kafka;
  }

  /** Plays scenario {@code n}; {@code hooks} look at the sleds once converged. */
  private Script play(
      String name, BiFunction<Integer, Long, Script> scenario, int n, RunHooks hooks)
      throws InterruptedException {
    RunOptions options = Runs.on(n, Runs.stack(kafka, 3, 1, 6), WorkloadShape.DEFAULTS, 0);
    AtomicReference<Script> played = new AtomicReference<>();
    RunReport report =
        LedgerRun.run(
                options,
                (sleds, cluster) -> {
                  played.set(scenario.apply(n, cluster.maxEpoch()));
                  return played.get();
                },
                hooks)
            .report();
    Runs.show("RacesIT " + name, report);
    Runs.assertEndedRight(report, name);
    return played.get();
  }

  /** A scenario played, and every sled's XDE mutations once the run converged. */
  private record Logged(Script script, List<List<Mutation>> logs) {
    /** Sled {@code sled}'s mutations of the scenario's one VIP. */
    List<Mutation> of(int sled) {
      return RacesIT.of(logs.get(sled), vipOf(script));
    }

    /** The scenario's one VIP as sled {@code on} would hold it. */
    XdeMapping entry(int on) {
      return RacesIT.entry(script, on);
    }
  }

  /** Plays scenario {@code n} and keeps every sled's XDE mutations. */
  private Logged playLogged(String name, BiFunction<Integer, Long, Script> scenario, int n)
      throws InterruptedException {
    List<List<Mutation>> logs = new ArrayList<>();
    return new Logged(play(name, scenario, n, mutationsInto(logs)), logs);
  }

  /** Hooks that add each sled's XDE mutations to {@code logs} once the run converged. */
  private static RunHooks mutationsInto(List<List<Mutation>> logs) {
    return new RunHooks() {
      @Override
      public void afterConvergence(RunningStack stack) {
        stack.sleds().forEach(sled -> logs.add(sled.mutations()));
      }
    };
  }

  /** {@code mutations} are one set, of {@code expected}. */
  private static void assertOneSet(List<Mutation> mutations, String as, XdeMapping expected) {
    assertThat(mutations)
        .as(as)
        .extracting(Mutation::op, Mutation::after)
        .containsExactly(Tuple.tuple(Op.SET, expected));
  }

  /** The scenario's one VIP as sled {@code on} would hold it. */
  private static XdeMapping entry(Script script, int on) {
    CreatePort port = firstPort(script);
    return new XdeMapping(port.vip(), port.mac(), script.sleds().get(on).underlay());
  }

  private static Vip vipOf(Script script) {
    return firstPort(script).vip();
  }

  /** The scenario's first port: its instance's one VIP and MAC. */
  private static CreatePort firstPort(Script script) {
    return script.steps().stream()
        .filter(CreatePort.class::isInstance)
        .map(CreatePort.class::cast)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void failedMigration_targetEndsWithTheSource_afterItsPortInstalledTheTarget() throws Exception {
    Logged run = playLogged("failed migration", Scenarios::failedMigration, 1);

    List<Mutation> target = run.of(Scenarios.T);
    Mutation created = first(target, Op.PORT_CREATE);
    Mutation destroyed = first(target, Op.PORT_DESTROY);
    assertThat(created.after()).isEqualTo(run.entry(Scenarios.T));
    // the re-assert puts 'VIP -> S' back on T; a pass that ran before its record was visible (the
    // appliers read read_committed, so a slow commit lets one slip in) may have set the same entry
    // first: set is idempotent, so T sees S set once or twice, and never anything else
    assertThat(target.subList(target.indexOf(created) + 1, target.indexOf(destroyed)))
        .as("the FAILED outcome's re-assert puts 'VIP -> S' back on T")
        .extracting(Mutation::op, Mutation::after)
        .isNotEmpty()
        .hasSizeLessThanOrEqualTo(2)
        .containsOnly(Tuple.tuple(Op.SET, run.entry(Scenarios.S)));
    assertOneSet(
        target.subList(target.indexOf(destroyed) + 1, target.size()),
        "after XDE cleared it with the target's port, the trigger's pass sets it again",
        run.entry(Scenarios.S));
  }

  @Test
  void sourcePortDestroyedAfterASuccessfulMigration_sourceEndsWithTheTarget() throws Exception {
    Logged run = playLogged("source port destroyed", Scenarios::sourcePortDestroyed, 2);

    List<Mutation> source = run.of(Scenarios.S);
    int destroyed = source.indexOf(first(source, Op.PORT_DESTROY));
    assertOneSet(
        source.subList(destroyed + 1, source.size()),
        "after XDE deleted the entry on S, the applier put 'VIP -> T' back",
        run.entry(Scenarios.T));
  }

  @Test
  void reportsBeforeNexusMigrationStarted_everySledEndsWithTheTarget() throws Exception {
    Logged run = playLogged("reports before Nexus", Scenarios::reportsBeforeNexus, 4);

    for (int sled = 0; sled < run.logs().size(); sled++) {
      List<Mutation> mine = run.of(sled);
      assertThat(mine.get(mine.size() - 1).after())
          .as("the last change of sled %d's entry", sled)
          .isEqualTo(run.entry(Scenarios.T));
    }
  }

  @Test
  void targetFailsAfterTheHandoff_everySledHeldTheTarget_thenNoSledKeepsTheVip() throws Exception {
    Logged run =
        playLogged("target fails after the hand-off", Scenarios::targetFailsAfterHandoff, 5);

    for (int sled = 0; sled < run.logs().size(); sled++) {
      List<Mutation> mine = run.of(sled);
      assertThat(mine)
          .as("sled %d: the source's COMPLETED alone moves the VIP to T", sled)
          .extracting(Mutation::op, Mutation::after)
          .contains(Tuple.tuple(Op.SET, run.entry(Scenarios.T)));
      Mutation last = mine.get(mine.size() - 1);
      assertThat(last.after()).as("sled %d's last change of the entry", sled).isNull();
    }
    List<Mutation> onlooker = run.of(Scenarios.U);
    assertThat(onlooker.get(onlooker.size() - 1).op())
        .as("the onlooker's entry is cleared by its applier: the target's FAILED wins")
        .isEqualTo(Op.CLEAR);
  }

  @Test
  void staleRepush_olderFactsAndAnOlderRecordMoveNothingBack() throws Exception {
    Map<Integer, List<Mutation>> afterPush = new HashMap<>();
    AtomicReference<Script> played = new AtomicReference<>();
    Script script =
        play(
            "stale re-push",
            (n, base) -> {
              played.set(Scenarios.staleRepush(n, base));
              return played.get();
            },
            3,
            new RunHooks() {
              @Override
              public void afterConvergence(RunningStack stack) throws InterruptedException {
                // the seed's third race at the record level: a re-push that read generation 1 (the
                // instance on S) lands after the move to T
                List<Integer> marks = new ArrayList<>();
                stack.sleds().forEach(sled -> marks.add(sled.mutations().size()));
                Script running = played.get();
                Vip vip = vipOf(running);
                RecordMetadata pushed = pushStale(vip, running);
                for (Sled sled : stack.sleds()) {
                  LocalSled local = (LocalSled) sled;
                  await()
                      .atMost(Duration.ofSeconds(30))
                      .until(
                          () ->
                              local.applier().status().acked().getOrDefault(pushed.partition(), 0L)
                                  > pushed.offset());
                }
                for (int i = 0; i < stack.sleds().size(); i++) {
                  List<Mutation> all = stack.sleds().get(i).mutations();
                  afterPush.put(i, all.subList(marks.get(i), all.size()));
                  assertThat(stack.sleds().get(i).table().get(vip))
                      .isEqualTo(entry(running, Scenarios.T));
                }
              }
            });

    assertThat(script).isSameAs(played.get());
    assertThat(afterPush).hasSize(3);
    afterPush.forEach(
        (sled, writes) ->
            assertThat(writes).as("sled %d wrote nothing for the stale record", sled).isEmpty());
  }

  /** Produces, outside any transaction, a SET to S at an older generation than the one in force. */
  private RecordMetadata pushStale(Vip vip, Script script) {
    InstanceId instance = script.finalLocations().keySet().iterator().next();
    XdeMapping onS = entry(script, Scenarios.S);
    MappingKey key = MappingKey.of(vip, script.maxEpoch());
    V2PMapping stale =
        V2PMapping.set(
            key,
            new V2PTarget(onS.mac(), onS.underlayIp(), script.sleds().get(Scenarios.S).id()),
            instance,
            NicId.parse("1c000000-0000-4000-8000-000000000003"),
            1);
    return MappingRecords.produce(kafka.clientConfig(), stale);
  }

  private static List<Mutation> of(List<Mutation> log, Vip vip) {
    return log.stream().filter(m -> m.vip().equals(vip)).toList();
  }

  private static Mutation first(List<Mutation> log, Op op) {
    return log.stream().filter(m -> m.op() == op).findFirst().orElseThrow();
  }
}
