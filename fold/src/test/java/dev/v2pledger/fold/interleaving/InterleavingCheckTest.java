package dev.v2pledger.fold.interleaving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.fold.interleaving.Explorer.Counts;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.Vip;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * DESIGN's claim that the fold's outcome does not depend on how the publishers' streams interleave,
 * checked: for every history, every interleaving that keeps each publisher's order (exhaustive up
 * to a bound, seeded samples above it), each also with events delivered again at any later point,
 * must end with the history's causal outcome, and every key's versions must only grow. The quick
 * depth runs in every build; {@code -Dv2p.interleavings=deep} (Maven profile {@code deep-check})
 * looks much further. Prints what it checked; {@code -Dv2p.seed=N} fixes the random histories.
 */
class InterleavingCheckTest {

  /** How far to look: quick in every build, deep on demand. */
  private record Depth(
      String name,
      boolean terseCatalog,
      Explorer.Settings settings,
      int randomHistories,
      int operations,
      int longHistories) {
    static Depth fromProperty() {
      if ("deep".equals(System.getProperty("v2p.interleavings"))) {
        return new Depth("deep", false, new Explorer.Settings(3_000_000, 20_000, 2), 400, 6, 40);
      }
      return new Depth("quick", true, new Explorer.Settings(60_000, 1_500, 1), 60, 4, 6);
    }
  }

  @Test
  void everyInterleavingOfEveryHistoryEndsWithItsCausalOutcome() {
    Depth depth = Depth.fromProperty();
    Long fixed = Long.getLong("v2p.seed");
    long seed = fixed != null ? fixed : new Random().nextLong();
    List<History> histories = new ArrayList<>(Histories.catalog(depth.terseCatalog));
    if (depth.terseCatalog) {
      histories.addAll(Histories.catalog(false).subList(0, 6)); // the small ones, every report
    }
    for (int i = 0; i < depth.randomHistories; i++) {
      histories.add(Histories.random(seed + i, depth.operations, i % 2 == 0));
    }
    for (int i = 0; i < depth.longHistories; i++) {
      histories.add(Histories.random(seed - 1 - i, 24, true)); // duplicates at any distance
    }

    Counts total = Counts.none();
    List<String> failures = new ArrayList<>();
    long exhaustive = 0;
    for (History history : histories) {
      Counts counts = check(history, depth, seed, failures);
      total = total.plus(counts);
      exhaustive += counts.exhaustive() ? 1 : 0;
    }

    System.out.printf(
        "interleaving check (%s, seed %d): %,d histories (%,d explored exhaustively), %,d events;"
            + " %,d paths of which %,d with redeliveries, %,d folds; %,d ended wrong, %,d version"
            + " regressions%n",
        depth.name,
        seed,
        histories.size(),
        exhaustive,
        histories.stream().mapToInt(History::events).sum(),
        total.paths(),
        total.redeliveredPaths(),
        total.folds(),
        total.divergent(),
        total.regressions());
    assertThat(failures)
        .as(
            "histories whose interleavings do not all end with the causal outcome (seed %d,"
                + " replay with -Dv2p.seed=%d)",
            seed, seed)
        .isEmpty();
  }

  private static Counts check(History history, Depth depth, long seed, List<String> failures) {
    Counts counts = Counts.none();
    List<V2PMapping> records = new ArrayList<>();
    for (History.InstanceHistory instance : history.instances()) {
      Explorer explorer = new Explorer(instance, depth.settings);
      Counts mine = explorer.run(seed ^ instance.instanceId().hashCode());
      counts = counts.plus(mine);
      records.addAll(explorer.firstPathRecords());
      if (explorer.firstDivergence() != null) {
        failures.add(
            String.format(
                "%s: %,d of %,d paths of instance %s ended wrong, %,d version regressions; first: %s",
                history,
                mine.divergent(),
                mine.paths(),
                instance.instanceId(),
                mine.regressions(),
                explorer.firstDivergence()));
      }
    }
    Map<Vip, V2PTarget> table = inForce(records);
    if (failures.isEmpty() && !table.equals(history.expectedTable())) {
      failures.add(
          history + ": table across instances " + table + ", expected " + history.expectedTable());
    }
    return counts;
  }

  /** What a sled would hold from these records, offered in order and in reverse. */
  private static Map<Vip, V2PTarget> inForce(List<V2PMapping> records) {
    MappingTable forward = MappingTable.of(records);
    List<V2PMapping> reversed = new ArrayList<>(records);
    Collections.reverse(reversed);
    MappingTable backward = MappingTable.of(reversed);
    Map<Vip, V2PTarget> table = new HashMap<>();
    forward.inForce().forEach((vip, record) -> table.put(vip, record.target()));
    Map<Vip, V2PTarget> other = new HashMap<>();
    backward.inForce().forEach((vip, record) -> other.put(vip, record.target()));
    assertThat(other)
        .as("the table must not depend on the order records arrive in")
        .isEqualTo(table);
    return table;
  }
}
