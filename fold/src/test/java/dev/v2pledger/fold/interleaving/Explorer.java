package dev.v2pledger.fold.interleaving;

import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.FoldResult;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.NicDetached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Folds the interleavings of one instance's publisher streams: every merge that keeps each stream's
 * order, each also with up to {@code redeliveries} events delivered again at any later point (the
 * original must have been delivered first). Exhaustive when the estimated number of paths is within
 * the bound, a seeded uniform sample of merges otherwise. At each fold it checks that every key's
 * version grows; at the end of every path, that the last record of every key is the causal outcome
 * (SET at the expected target, or CLEARED).
 *
 * <p>The fold is pure, so the search shares prefixes: one fold per tree node, and the last record
 * per key is kept in one map with an undo log.
 */
final class Explorer {
  /** How hard to look. */
  record Settings(long exhaustiveBound, int samples, int redeliveries) {}

  /** What one exploration checked. */
  record Counts(
      long paths,
      long redeliveredPaths,
      long folds,
      long divergent,
      long regressions,
      boolean exhaustive) {
    Counts plus(Counts other) {
      return new Counts(
          paths + other.paths,
          redeliveredPaths + other.redeliveredPaths,
          folds + other.folds,
          divergent + other.divergent,
          regressions + other.regressions,
          exhaustive && other.exhaustive);
    }

    static Counts none() {
      return new Counts(0, 0, 0, 0, 0, true);
    }
  }

  /** The first path that ended wrong, with why. */
  record Divergence(List<String> path, String problem) {
    @Override
    public String toString() {
      return problem + "\n    path:\n      " + String.join("\n      ", path);
    }
  }

  /** One change to {@link #last}, or (key null) the mark where one fold's changes begin. */
  private record Undo(
      @Nullable MappingKey key,
      @Nullable V2PMapping previous,
      boolean again,
      @Nullable InstanceEvent event) {}

  private final History.InstanceHistory instance;
  private final List<List<InstanceEvent>> streams;
  private final List<String> publishers;
  private final Settings settings;
  private final int[] positions;
  private final List<String> path = new ArrayList<>();
  private final List<InstanceEvent> delivered = new ArrayList<>();
  private final Map<MappingKey, V2PMapping> last = new HashMap<>();
  private final Deque<Undo> undo = new ArrayDeque<>();
  private final List<V2PMapping> firstPathRecords = new ArrayList<>();
  private long paths;
  private long redeliveredPaths;
  private long folds;
  private long divergent;
  private long regressions;
  private @Nullable Divergence first;
  private boolean recording = true;
  private final Set<NicId> detachedNics = new HashSet<>();
  private final int namedVmms;

  Explorer(History.InstanceHistory instance, Settings settings) {
    this.instance = instance;
    this.streams = instance.streamList();
    this.publishers = new ArrayList<>(instance.streams().keySet());
    this.settings = settings;
    this.positions = new int[streams.size()];
    int named = 0;
    for (List<InstanceEvent> stream : streams) {
      for (InstanceEvent event : stream) {
        if (event.payload() instanceof NicDetached detached) {
          detachedNics.add(detached.nicId());
        }
        if (event.payload() instanceof VmmPlaced || event.payload() instanceof MigrationStarted) {
          named++;
        }
      }
    }
    this.namedVmms = named;
  }

  /** Explores exhaustively or by sampling (seeded by {@code seed}); returns the counts. */
  Counts run(long seed) {
    boolean exhaustive =
        estimatedPaths().compareTo(BigInteger.valueOf(settings.exhaustiveBound)) <= 0;
    if (exhaustive) {
      dfs(InstanceState.empty(instance.instanceId()), settings.redeliveries, 0);
    } else {
      Random random = new Random(seed);
      for (int i = 0; i < settings.samples; i++) {
        walk(random);
      }
    }
    return new Counts(paths, redeliveredPaths, folds, divergent, regressions, exhaustive);
  }

  @Nullable Divergence firstDivergence() {
    return first;
  }

  /** Every record the first explored path wrote, in order: for the cross-instance check. */
  List<V2PMapping> firstPathRecords() {
    return firstPathRecords;
  }

  /** Merges times, for each redelivery allowed, the places a redelivery can go (about n^2/2). */
  BigInteger estimatedPaths() {
    long n = instance.events();
    BigInteger perRedelivery = BigInteger.valueOf(Math.max(1, n * (n + 1) / 2));
    return instance.interleavings().multiply(perRedelivery.pow(settings.redeliveries));
  }

  private void dfs(InstanceState state, int budget, int redelivered) {
    boolean done = true;
    for (int i = 0; i < streams.size(); i++) {
      List<InstanceEvent> stream = streams.get(i);
      if (positions[i] < stream.size()) {
        done = false;
        InstanceEvent event = stream.get(positions[i]++);
        step(state, event, publishers.get(i), false, budget, redelivered);
        positions[i]--;
      }
    }
    if (done) {
      leaf(redelivered);
    }
    if (budget > 0) {
      for (int d = 0; d < delivered.size(); d++) {
        step(state, delivered.get(d), "again", true, budget - 1, redelivered + 1);
      }
    }
  }

  private void step(
      InstanceState state,
      InstanceEvent event,
      String publisher,
      boolean again,
      int budget,
      int redelivered) {
    InstanceState next = fold(state, event, publisher, again);
    dfs(next, budget, redelivered);
    unfold();
  }

  /** One random path: streams chosen in proportion to what is left (uniform merges). */
  private void walk(Random random) {
    InstanceState state = InstanceState.empty(instance.instanceId());
    int budget = settings.redeliveries;
    int redelivered = 0;
    int left = instance.events();
    int steps = 0;
    while (left > 0 || (budget > 0 && random.nextBoolean())) {
      if (budget > 0 && !delivered.isEmpty() && random.nextInt(left + 1) == 0) {
        state = fold(state, delivered.get(random.nextInt(delivered.size())), "again", true);
        budget--;
        redelivered++;
      } else if (left > 0) {
        int pick = random.nextInt(left);
        int i = 0;
        while (pick >= streams.get(i).size() - positions[i]) {
          pick -= streams.get(i).size() - positions[i];
          i++;
        }
        state = fold(state, streams.get(i).get(positions[i]++), publishers.get(i), false);
        left--;
      } else {
        break;
      }
      steps++;
    }
    leaf(redelivered);
    for (int s = 0; s < steps; s++) {
      unfold();
    }
    Arrays.fill(positions, 0);
  }

  private InstanceState fold(
      InstanceState state, InstanceEvent event, String publisher, boolean again) {
    FoldResult result = Fold.apply(state, event);
    folds++;
    path.add(
        (again ? "again" : publisher)
            + ": "
            + describe(event)
            + (result.isIgnored() ? "  -> ignored " + result.ignored() : "")
            + (result.records().isEmpty() ? "" : "  -> " + result.records().size() + " record(s)"));
    if (!again && redeliverable(event)) {
      delivered.add(event);
    }
    undo.push(new Undo(null, null, again, event));
    for (V2PMapping record : result.records()) {
      V2PMapping previous = last.put(record.key(), record);
      undo.push(new Undo(record.key(), previous, again, null));
      if (previous != null && record.version().compareTo(previous.version()) <= 0) {
        regressions++;
        note(
            "version of "
                + record.key()
                + " did not grow: "
                + previous.version()
                + " then "
                + record.version());
      }
      if (recording) {
        firstPathRecords.add(record);
      }
    }
    return result.state();
  }

  private void unfold() {
    path.remove(path.size() - 1);
    for (Undo u = undo.pop(); ; u = undo.pop()) {
      MappingKey key = u.key();
      if (key == null) {
        if (!u.again() && redeliverable(u.event())) {
          delivered.remove(delivered.size() - 1);
        }
        return;
      }
      if (u.previous() == null) {
        last.remove(key);
      } else {
        last.put(key, u.previous());
      }
    }
  }

  private void leaf(int redelivered) {
    recording = false;
    paths++;
    if (redelivered > 0) {
      redeliveredPaths++;
    }
    for (Map.Entry<MappingKey, V2PTarget> want : instance.expected().entrySet()) {
      V2PMapping got = last.get(want.getKey());
      if (got == null || !got.isSet() || !want.getValue().equals(got.target())) {
        divergent++;
        note(
            "key "
                + want.getKey()
                + " must end SET at sled "
                + want.getValue().sledId()
                + " but ends "
                + (got == null ? "never written" : got.state() + " " + got.target()));
        return;
      }
    }
    for (V2PMapping got : last.values()) {
      if (got.isSet() && !instance.expected().containsKey(got.key())) {
        divergent++;
        note(
            "key "
                + got.key()
                + " must end CLEARED (the instance runs nowhere, or the key is gone) but ends SET"
                + " at sled "
                + got.target().sledId());
        return;
      }
    }
  }

  private void note(String problem) {
    if (first == null) {
      first = new Divergence(List.copyOf(path), problem);
    }
  }

  /**
   * Every event may be delivered again, except where DESIGN rule 0 says a repeat of a Nexus event
   * without {@code instance_gen} is taken as new (unit tests cover those): a {@code NicAttached} of
   * a NIC the history detaches, and a {@code VmmPlaced} or {@code MigrationStarted} of a history
   * that names more VMMs than the state remembers. Other legacy repeats are recognised against the
   * state, and redelivered here like any event.
   */
  private boolean redeliverable(@Nullable InstanceEvent event) {
    if (event == null) {
      return false;
    }
    if (event.instanceGen() != null || !event.type().publishedByNexus()) {
      return true;
    }
    if (event.payload() instanceof NicAttached attached) {
      return !detachedNics.contains(attached.nicId());
    }
    if (event.payload() instanceof VmmPlaced || event.payload() instanceof MigrationStarted) {
      return namedVmms <= InstanceState.Bounds.PAST;
    }
    return true;
  }

  private static String describe(InstanceEvent event) {
    String text = event.payload().toString();
    return event.instanceGen() == null
        ? text
        : text + " [instance_gen " + event.instanceGen() + "]";
  }
}
