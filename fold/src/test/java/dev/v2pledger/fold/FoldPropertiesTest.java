package dev.v2pledger.fold;

import static dev.v2pledger.fold.RandomEvents.migration;
import static dev.v2pledger.fold.RandomEvents.nic;
import static dev.v2pledger.fold.RandomEvents.sled;
import static dev.v2pledger.fold.RandomEvents.underlay;
import static dev.v2pledger.fold.RandomEvents.vmm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.fold.state.StateRoundTrip;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.Ipv4Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vni;
import dev.v2pledger.schema.testing.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Properties of the fold over seeded random event streams (see {@link Seeds} to replay one). */
class FoldPropertiesTest {
  private static final InstanceId INSTANCE =
      InstanceId.parse("8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6");

  @Test
  void foldingAnEventTwiceChangesNothingTheSecondTime() {
    Seeds.forEach(
        300,
        seed -> {
          InstanceState state = InstanceState.empty(INSTANCE);
          for (InstanceEvent event : new RandomEvents(seed, INSTANCE).events(80)) {
            FoldResult once = Fold.apply(state, event);
            FoldResult twice = Fold.apply(once.state(), event);
            assertThat(twice.records()).as("records of %s folded again", event).isEmpty();
            assertThat(twice.state())
                .as("state after %s folded again", event)
                .isEqualTo(once.state());
            state = once.state();
          }
        });
  }

  @Test
  void versionsPerKeyOnlyGrowAndOneEventWritesAKeyOnce() {
    Seeds.forEach(
        300,
        seed -> {
          InstanceState state = InstanceState.empty(INSTANCE);
          Map<MappingKey, Long> lastGen = new HashMap<>();
          for (InstanceEvent event : new RandomEvents(seed, INSTANCE).events(120)) {
            FoldResult result = Fold.apply(state, event);
            Set<MappingKey> seen = new HashSet<>();
            for (V2PMapping record : result.records()) {
              assertThat(seen.add(record.key()))
                  .as("%s written twice by one event", record.key())
                  .isTrue();
              Long before = lastGen.put(record.key(), record.locationGen());
              assertThat(record.locationGen()).isGreaterThan(before == null ? 0 : before);
              assertThat(record.locationGen()).isEqualTo(result.state().locationGen());
            }
            state = result.state();
          }
        });
  }

  @Test
  void foldingAPrefixThenTheRestThroughTheChangelogEqualsFoldingAll() {
    Seeds.forEach(
        200,
        seed -> {
          List<InstanceEvent> events = new RandomEvents(seed, INSTANCE).events(100);
          int cut = new Random(seed).nextInt(events.size() + 1);
          List<V2PMapping> allRecords = new ArrayList<>();
          InstanceState all = foldCollecting(InstanceState.empty(INSTANCE), events, allRecords);
          List<V2PMapping> splitRecords = new ArrayList<>();
          InstanceState prefix =
              foldCollecting(InstanceState.empty(INSTANCE), events.subList(0, cut), splitRecords);
          InstanceState restored = StateRoundTrip.throughChangelog(prefix);
          InstanceState split =
              foldCollecting(restored, events.subList(cut, events.size()), splitRecords);

          assertThat(restored).isEqualTo(prefix);
          assertThat(split).isEqualTo(all);
          assertThat(splitRecords).isEqualTo(allRecords);
        });
  }

  @Test
  void whenBothSidesAgree_everyInterleavingOfTheirReportsFoldsToTheSameResult() {
    Seeds.forEach(
        300,
        seed -> {
          Random random = new Random(seed);
          MigrationState outcome =
              random.nextBoolean() ? MigrationState.COMPLETED : MigrationState.FAILED;
          List<InstanceEvent> prefix =
              List.of(
                  event(
                      new EventPayload.NicAttached(
                          nic(0), new Vni(7), new MacAddr(1), List.of(new Ipv4Addr(5)), 1)),
                  event(new EventPayload.VmmPlaced(vmm(0), sled(0), underlay(0))));
          InstanceEvent started =
              event(
                  new EventPayload.MigrationStarted(
                      migration(0), vmm(0), vmm(1), sled(1), underlay(1)));
          List<InstanceEvent> reports = new ArrayList<>();
          reports.addAll(sideStream(random, MigrationSide.SOURCE, outcome));
          reports.addAll(sideStream(random, MigrationSide.TARGET, outcome));

          Outcome reference =
              foldWith(prefix, interleave(new Random(seed), started, reports, false));
          for (int shuffle = 0; shuffle < 5; shuffle++) {
            Outcome other = foldWith(prefix, interleave(random, started, reports, true));
            assertThat(other.state().location()).isEqualTo(reference.state().location());
            assertThat(other.state().outcome(migration(0)))
                .isEqualTo(reference.state().outcome(migration(0)));
            assertThat(lastPerKey(other.records())).isEqualTo(lastPerKey(reference.records()));
          }
          assertThat(reference.state().outcome(migration(0)).name()).isEqualTo(outcome.name());
        });
  }

  private record Outcome(InstanceState state, List<V2PMapping> records) {}

  /** The last record of each key, without its version: what the table ends with. */
  private static Map<MappingKey, String> lastPerKey(List<V2PMapping> records) {
    Map<MappingKey, String> last = new HashMap<>();
    for (V2PMapping record : records) {
      last.put(record.key(), record.state() + " " + record.target());
    }
    return last;
  }

  private static Outcome foldWith(List<InstanceEvent> prefix, List<InstanceEvent> rest) {
    List<V2PMapping> records = new ArrayList<>();
    InstanceState state = foldCollecting(InstanceState.empty(INSTANCE), prefix, records);
    records.clear();
    return new Outcome(foldCollecting(state, rest, records), records);
  }

  /** One side's reports: PENDING, IN_PROGRESS, the outcome at rising gens, plus repeats of them. */
  private static List<InstanceEvent> sideStream(
      Random random, MigrationSide side, MigrationState outcome) {
    List<InstanceEvent> stream = new ArrayList<>();
    MigrationState[] states = {MigrationState.PENDING, MigrationState.IN_PROGRESS, outcome};
    for (int gen = 1; gen <= 3; gen++) {
      stream.add(
          event(new EventPayload.MigrationReported(migration(0), side, states[gen - 1], gen)));
    }
    int repeats = random.nextInt(4);
    for (int i = 0; i < repeats; i++) {
      stream.add(stream.get(random.nextInt(3)));
    }
    return stream;
  }

  /**
   * The reports in some order (each side's own order kept or not) with the start placed anywhere.
   */
  private static List<InstanceEvent> interleave(
      Random random, InstanceEvent started, List<InstanceEvent> reports, boolean shuffle) {
    List<InstanceEvent> order = new ArrayList<>(reports);
    if (shuffle) {
      Collections.shuffle(order, random);
    }
    order.add(shuffle ? random.nextInt(order.size() + 1) : 0, started);
    return order;
  }

  private static InstanceEvent event(EventPayload payload) {
    return InstanceEvent.of(INSTANCE, payload);
  }

  private static InstanceState foldCollecting(
      InstanceState state, List<InstanceEvent> events, List<V2PMapping> records) {
    InstanceState current = state;
    for (InstanceEvent event : events) {
      FoldResult result = Fold.apply(current, event);
      records.addAll(result.records());
      current = result.state();
    }
    return current;
  }
}
