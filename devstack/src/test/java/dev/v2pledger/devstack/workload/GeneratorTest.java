package dev.v2pledger.devstack.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.devstack.oracle.Decision;
import dev.v2pledger.devstack.oracle.Oracle;
import dev.v2pledger.devstack.oracle.Placement;
import dev.v2pledger.devstack.workload.Step.Publish;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.EventPayload.VmmReported;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.Vni;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The generator's world and the oracle folding its events must agree, whatever the seed. */
class GeneratorTest {
  static final List<SledSpec> SLEDS = SledSpec.rack(4);

  static WorkloadConfig config(long seed) {
    return WorkloadConfig.of(
        seed,
        4,
        new WorkloadShape(
            20, 200, 0.3, 12, WorkloadShape.DEFAULT_REORDER_RATE, WorkloadShape.DEFAULT_LATE_RATE));
  }

  @Test
  void theSameSeedGivesTheSameSteps() {
    Script a = Generator.generate(config(7), SLEDS);
    Script b = Generator.generate(config(7), SLEDS);
    Script c = Generator.generate(config(8), SLEDS);

    assertThat(a.steps()).isEqualTo(b.steps());
    assertThat(a.steps()).isNotEqualTo(c.steps());
  }

  @Test
  void foldingTheEventsGivesTheWorldsTruth_forManySeeds() {
    Long fixed = Long.getLong("v2p.seed");
    long base = fixed != null ? fixed : new Random().nextLong();
    int rounds = fixed != null ? 1 : 40;
    for (int round = 0; round < rounds; round++) {
      long seed = base + round;
      Script script = Generator.generate(config(seed), SLEDS);
      Oracle oracle = new Oracle();
      for (Step step : script.steps()) {
        if (step instanceof Publish publish) {
          oracle.apply(publish.event());
        }
      }
      assertThat(new TreeMap<>(oracle.expected()))
          .as("seed %d (replay with -Dv2p.seed=%d): VIPs", seed, seed)
          .isEqualTo(new TreeMap<>(script.finalTruth()));
      Map<InstanceId, SledId> folded = new HashMap<>();
      oracle.locations().forEach((id, placed) -> folded.put(id, placed.sled()));
      Map<InstanceId, SledId> world = new HashMap<>();
      script.finalLocations().forEach((id, sled) -> world.put(id, SLEDS.get(sled).id()));
      assertThat(folded)
          .as("seed %d (replay with -Dv2p.seed=%d): locations", seed, seed)
          .isEqualTo(world);
      assertThat(oracle.droppedReports())
          .as("seed %d (replay with -Dv2p.seed=%d)", seed, seed)
          .isZero();
      assertThat(oracle.decisions())
          .as(
              "seed %d (replay with -Dv2p.seed=%d): redeliveries and stale reports are exercised",
              seed, seed)
          .containsKeys(Decision.OLD_GENERATION, Decision.STALE_REPORT);
    }
  }

  @Test
  void publishersOvertakeEachOther_reportsLandBeforeTheNexusEventTheyFollow() {
    Script script = Generator.generate(config(42), SLEDS);
    Set<MigrationId> started = new HashSet<>();
    Set<MigrationId> reportedFirst = new HashSet<>();
    Set<MigrationId> completedFirst = new HashSet<>();
    for (Step step : script.steps()) {
      if (step instanceof Publish publish) {
        if (publish.event().payload() instanceof MigrationStarted s) {
          started.add(s.migrationId());
        } else if (publish.event().payload() instanceof MigrationReported r
            && !started.contains(r.migrationId())) {
          reportedFirst.add(r.migrationId());
          if (r.state().isTerminal()) {
            completedFirst.add(r.migrationId());
          }
        }
      }
    }

    assertThat(script.counts().reordered()).isPositive();
    assertThat(script.counts().lateRedeliveries()).isPositive();
    assertThat(reportedFirst)
        .as("migrations reported before Nexus' event landed")
        .hasSizeGreaterThan(5);
    assertThat(completedFirst)
        .as("migrations whose outcome landed before Nexus' event")
        .isNotEmpty();
  }

  /** A report's source names the sled the VMM runs on, by the id Nexus' events give it. */
  @Test
  void aSledAgentNamesItselfByItsSledsId() {
    Script script = Generator.generate(config(42), SLEDS);
    Map<VmmId, SledId> placedOn = new HashMap<>();
    for (Step step : script.steps()) {
      if (step instanceof Publish publish) {
        if (publish.event().payload() instanceof VmmPlaced p) {
          placedOn.put(p.vmmId(), p.sledId());
        } else if (publish.event().payload() instanceof MigrationStarted m) {
          placedOn.put(m.targetVmmId(), m.targetSledId());
        }
      }
    }
    int reports = 0;
    for (Step step : script.steps()) {
      if (step instanceof Publish publish && publish.event().payload() instanceof VmmReported r) {
        assertThat(publish.event().source()).isEqualTo("sled-agent/" + placedOn.get(r.vmmId()));
        reports++;
      }
    }
    assertThat(reports).isGreaterThan(100);
    assertThat(placedOn.values()).as("every sled hosts some VMM").hasSameElementsAs(sledIds());
  }

  private static List<SledId> sledIds() {
    return SLEDS.stream().map(SledSpec::id).toList();
  }

  @Test
  void someFailedMigrationsFailOnTheTargetAfterTheSourceHandedOver() {
    Script script = Generator.generate(config(42), SLEDS);
    Map<MigrationId, Map<MigrationSide, MigrationState>> outcomes = new HashMap<>();
    for (Step step : script.steps()) {
      if (step instanceof Publish publish
          && publish.event().payload() instanceof MigrationReported r
          && r.state().isTerminal()) {
        outcomes.computeIfAbsent(r.migrationId(), id -> new HashMap<>()).put(r.side(), r.state());
      }
    }
    Map<MigrationSide, MigrationState> split =
        Map.of(
            MigrationSide.SOURCE, MigrationState.COMPLETED,
            MigrationSide.TARGET, MigrationState.FAILED);

    long lost = outcomes.values().stream().filter(split::equals).count();
    assertThat(lost).isPositive().isEqualTo(script.counts().lostAfterHandoff());
    assertThat(outcomes.values())
        .as("no other split: the sides of every other migration agree")
        .allMatch(sides -> sides.equals(split) || sides.values().stream().distinct().count() == 1);
  }

  @Test
  void theWorkloadDoesWhatItSays() {
    Script script = Generator.generate(config(42), SLEDS);
    Script.Counts counts = script.counts();

    assertThat(counts.migrations()).isEqualTo(200);
    assertThat(counts.migrationsFailed()).isBetween(30L, 90L);
    assertThat(counts.stops() + counts.crashes() + counts.deletes()).isPositive();
    assertThat(counts.ipReuses()).isPositive();
    assertThat(counts.nicsReplaced()).isPositive();
    assertThat(counts.duplicates()).isPositive();
    assertThat(counts.stale()).isPositive();
    assertThat(script.steps().stream().filter(s -> s instanceof Publish).count())
        .isEqualTo(counts.events());
    long maxEpoch = ipEpochs(script).max().orElseThrow();
    assertThat(script.maxEpoch()).isEqualTo(maxEpoch);
    assertThat(script.vnis()).hasSize(4).doesNotContain(Vni.SERVICES);
  }

  @Test
  void aLaterScriptAllocatesAboveTheEpochsAndAwayFromTheVnisOfAnEarlierOne() {
    Script first = Generator.generate(config(1), SLEDS);
    Script second = Generator.generate(config(1).after(first.maxEpoch(), first.vnis()), SLEDS);

    assertThat(second.vnis()).doesNotContainAnyElementsOf(first.vnis());
    long lowest = ipEpochs(second).min().orElseThrow();
    assertThat(lowest).isGreaterThan(first.maxEpoch());
    Set<Vip> firstVips = first.finalTruth().keySet();
    assertThat(second.finalTruth().keySet()).doesNotContainAnyElementsOf(firstVips);
  }

  @Test
  void everySledGetsAServicesPortInVni100() {
    Script script = Generator.generate(config(3), SLEDS);

    assertThat(script.steps().subList(0, 4))
        .allSatisfy(
            step -> assertThat(((Step.CreatePort) step).vip().vni()).isEqualTo(Vni.SERVICES));
    assertThat(script.finalTruth().keySet()).noneMatch(vip -> vip.vni().equals(Vni.SERVICES));
    for (XdeMapping entry : script.finalTruth().values()) {
      assertThat(SLEDS).anyMatch(sled -> sled.underlay().equals(entry.underlayIp()));
    }
  }

  @Test
  void configurationMistakesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> WorkloadConfig.of(1, 1, WorkloadShape.DEFAULTS))
        .hasMessageContaining("migrations need at least two sleds");
    assertThatThrownBy(() -> WorkloadShape.sized(10, 10, 1.5))
        .hasMessageContaining("failure rate must be between 0 and 1");
    assertThatThrownBy(() -> Generator.generate(config(1), SledSpec.rack(3)))
        .hasMessageContaining("for 4 sleds, got 3");
  }

  @Test
  void racesEndWhereTheirInstanceReallyIs() {
    for (Script script :
        List.of(
            Scenarios.failedMigration(1, 0),
            Scenarios.sourcePortDestroyed(2, 0),
            Scenarios.staleRepush(3, 0))) {
      Oracle oracle = new Oracle();
      script.steps().stream()
          .filter(s -> s instanceof Publish)
          .forEach(s -> oracle.apply(((Publish) s).event()));
      assertThat(oracle.expected()).isEqualTo(script.finalTruth());
      InstanceId instance = script.finalLocations().keySet().iterator().next();
      Placement placed = oracle.location(instance);
      assertThat(placed).isNotNull();
      assertThat(placed.sled())
          .isEqualTo(script.sleds().get(script.finalLocations().get(instance)).id());
    }
  }

  /** The {@code ip_epoch} of every NIC the script attaches. */
  private static LongStream ipEpochs(Script script) {
    return script.steps().stream()
        .filter(s -> s instanceof Publish p && p.event().payload() instanceof NicAttached)
        .mapToLong(s -> ((NicAttached) ((Publish) s).event().payload()).ipEpoch());
  }
}
