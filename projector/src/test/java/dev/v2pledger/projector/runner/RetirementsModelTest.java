package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.FoldResult;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MappingKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A seeded generator over two instances of folds (attach, detach, place, delete, with equal times
 * too), removals, commits, aborts, and partitions dropped and restored from a changelog that keeps
 * each record's {@code v2p.retired-at} (DESIGN "Bounded growth"): every state record written says,
 * for each key of its retired list, the time that key was really retired (never earlier: a
 * tombstone before its grace period), and a removal stays scheduled for every retired key and
 * deleted state. Driven as {@link EventProcessor} drives it: ignored events are not told.
 */
class RetirementsModelTest {
  private static final long GRACE = 1_000_000;
  private static final List<InstanceId> IDS = List.of(Events.A, Events.B);

  private record Written(InstanceState state, String header, long at) {}

  @Test
  void everyStateRecordSaysWhenItsKeysWereRetired_throughAbortsAndRestores() {
    for (int seed = 0; seed < 3000; seed++) {
      new Run(seed).play(60);
    }
  }

  private static final class Run {
    private final long seed;
    private final Random random;
    private final StateStore store = new StateStore();
    private final Retirements retirements = new Retirements(Duration.ofMillis(GRACE));
    private final Map<InstanceId, Written> changelog = new HashMap<>();
    private Map<InstanceId, Map<MappingKey, Long>> truth = new HashMap<>();
    private Map<InstanceId, Map<MappingKey, Long>> committedTruth = new HashMap<>();
    private final StringBuilder story = new StringBuilder();
    private long now;

    Run(long seed) {
      this.seed = seed;
      this.random = new Random(seed);
      store.load(0, new HashMap<>());
    }

    void play(int steps) {
      for (int step = 0; step < steps; step++) {
        if (random.nextInt(3) > 0) {
          now += random.nextInt(3) * 1000L; // 0 too: equal times
        }
        int op = random.nextInt(10);
        if (op <= 4) {
          fold(IDS.get(random.nextInt(2)));
        } else if (op == 5) {
          long at = now + (random.nextBoolean() ? GRACE : GRACE / 2);
          story.append("apply @").append(at).append('\n');
          retirements.apply(store, at);
          for (InstanceId id : IDS) {
            truthOf(id).keySet().retainAll(new HashSet<>(store.get(0, id).retired()));
          }
        } else if (op <= 7) {
          story.append("commit\n");
          commit();
        } else if (op == 8) {
          story.append("abort\n");
          store.rollback();
          retirements.rolledBack();
          truth = copy(committedTruth);
        } else {
          story.append("commit, drop, restore\n");
          commit();
          store.drop(0);
          retirements.drop(0);
          assertThat(retirements.pending()).isZero();
          restore();
        }
        checkScheduled();
      }
    }

    private void fold(InstanceId id) {
      int kind = random.nextInt(10);
      InstanceEvent event =
          kind < 6
              ? Events.attached(id, "10.0.0." + (1 + random.nextInt(2)), 1 + random.nextInt(2))
              : kind < 8
                  ? Events.detached(id)
                  : kind < 9
                      ? Events.placed(id, 1 + random.nextInt(2))
                      : random.nextInt(4) == 0
                          ? InstanceEvent.of(id, new EventPayload.InstanceDeleted())
                          : Events.detached(id);
      story.append("fold ").append(event.payload()).append(" @").append(now).append('\n');
      InstanceState before = store.get(0, id);
      FoldResult result = Fold.apply(before, event);
      if (result.state() != before) {
        store.put(0, result.state());
      }
      if (!result.isIgnored()) {
        retirements.folded(0, before, result.state(), now);
      }
      InstanceState after = store.get(0, id);
      Map<MappingKey, Long> times = truthOf(id);
      Set<MappingKey> had = new HashSet<>(before.retired());
      for (MappingKey key : after.retired()) {
        if (!had.contains(key)) {
          times.put(key, now);
        }
      }
      times.keySet().retainAll(new HashSet<>(after.retired()));
    }

    private void commit() {
      for (StateStore.Changed changed : store.changed()) {
        if (changed.state() == null) {
          changelog.remove(changed.instance());
          continue;
        }
        String header = retirements.header(changed.state());
        changelog.put(changed.instance(), new Written(changed.state(), header, now));
        List<MappingKey> retired = changed.state().retired();
        if (retired.isEmpty()) {
          continue;
        }
        assertThat(header).as(context()).isNotNull();
        long[] times = Retirements.parseHeader(header, retired.size());
        Map<MappingKey, Long> known = truthOf(changed.instance());
        for (int i = 0; i < retired.size(); i++) {
          Long retiredAt = known.get(retired.get(i)); // null: restored from a record without it
          if (retiredAt != null) {
            assertThat(times[i]).as(context() + "key " + retired.get(i)).isEqualTo(retiredAt);
          }
        }
      }
      store.committed();
      retirements.committed();
      committedTruth = copy(truth);
    }

    private void restore() {
      Map<InstanceId, InstanceState> states = new HashMap<>();
      Map<InstanceId, Long> writtenAt = new HashMap<>();
      Map<InstanceId, long[]> retiredAt = new HashMap<>();
      changelog.forEach(
          (id, written) -> {
            states.put(id, written.state());
            writtenAt.put(id, written.at());
            long[] times =
                Retirements.parseHeader(written.header(), written.state().retired().size());
            if (times != null) {
              retiredAt.put(id, times);
            }
          });
      store.load(0, states);
      retirements.restored(0, states.values(), writtenAt, retiredAt);
    }

    /** A removal for every retired key and deleted state, and a time for every retired key. */
    private void checkScheduled() {
      int expected = 0;
      for (InstanceId id : IDS) {
        InstanceState state = store.get(0, id);
        expected += state.retired().size() + (state.deleted() ? 1 : 0);
        if (!state.retired().isEmpty()) {
          assertThat(retirements.header(state)).as(context() + id).isNotNull();
        }
      }
      assertThat(retirements.pending()).as(context()).isGreaterThanOrEqualTo(expected);
    }

    private Map<MappingKey, Long> truthOf(InstanceId id) {
      return truth.computeIfAbsent(id, x -> new HashMap<>());
    }

    private String context() {
      return "seed " + seed + "\n" + story;
    }
  }

  private static Map<InstanceId, Map<MappingKey, Long>> copy(
      Map<InstanceId, Map<MappingKey, Long>> times) {
    Map<InstanceId, Map<MappingKey, Long>> out = new HashMap<>();
    times.forEach((id, keys) -> out.put(id, new HashMap<>(keys)));
    return out;
  }
}
