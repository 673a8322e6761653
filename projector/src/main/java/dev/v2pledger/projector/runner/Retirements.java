package dev.v2pledger.projector.runner;

import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MappingKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * When to remove what the projector no longer needs (DESIGN "Bounded growth"): each retired mapping
 * key a grace period after the event that retired it, each deleted instance's state a grace period
 * after its deletion (restored ones: after the time their state was written, which is no earlier).
 * The queue follows the open transaction: if it aborts, the removals it took come back, and the
 * ones its events scheduled or cancelled are undone (its events are folded again and schedule them
 * anew). Owned by the runner's thread.
 */
final class Retirements {
  /**
   * A removal due at {@code atMillis}: a mapping key of an instance, or (key null) the deleted
   * instance's state, which comes after its keys.
   */
  record Due(long atMillis, int partition, InstanceId instance, @Nullable MappingKey key) {}

  private final long graceMillis;
  private final PriorityQueue<Due> queue =
      new PriorityQueue<>(
          (a, b) ->
              a.atMillis != b.atMillis
                  ? Long.compare(a.atMillis, b.atMillis)
                  : Boolean.compare(a.key == null, b.key == null));
  private final List<Due> taken = new ArrayList<>();

  /** Removals the open transaction's events scheduled, and the ones they cancelled. */
  private final List<Due> scheduled = new ArrayList<>();

  private final List<Due> cancelled = new ArrayList<>();

  /** Removals {@code grace} after their cause; none for a zero grace. */
  Retirements(Duration grace) {
    this.graceMillis = grace.toMillis();
  }

  boolean enabled() {
    return graceMillis > 0;
  }

  /** An event logged at {@code eventMillis} turned {@code before} into {@code after}. */
  void folded(int partition, InstanceState before, InstanceState after, long eventMillis) {
    if (!enabled() || before.retired() == after.retired() && before.deleted() == after.deleted()) {
      return;
    }
    Set<MappingKey> had = new HashSet<>(before.retired());
    for (MappingKey key : after.retired()) {
      if (!had.contains(key)) {
        schedule(new Due(eventMillis + graceMillis, partition, after.instanceId(), key));
      }
    }
    Set<MappingKey> ownedAgain = new HashSet<>(had); // re-attached (a later retirement waits G),
    // or forgotten past the fold's bound (never tombstoned: DESIGN "Bounds")
    ownedAgain.removeAll(new HashSet<>(after.retired())); // a set: removeAll(List) is quadratic
    if (!ownedAgain.isEmpty()) {
      queue.removeIf(
          due -> {
            boolean cancel =
                due.instance().equals(after.instanceId()) && ownedAgain.contains(due.key());
            if (cancel) {
              cancelled.add(due);
            }
            return cancel;
          });
    }
    if (after.deleted() && !before.deleted()) {
      schedule(new Due(eventMillis + graceMillis, partition, after.instanceId(), null));
    }
  }

  private void schedule(Due due) {
    queue.add(due);
    scheduled.add(due);
  }

  /** The states of a restored partition, each written at its changelog record's time. */
  void restored(int partition, Collection<InstanceState> states, Map<InstanceId, Long> writtenAt) {
    if (!enabled()) {
      return;
    }
    for (InstanceState state : states) {
      long at = writtenAt.getOrDefault(state.instanceId(), 0L) + graceMillis;
      for (MappingKey key : state.retired()) {
        queue.add(new Due(at, partition, state.instanceId(), key));
      }
      if (state.deleted()) {
        queue.add(new Due(at, partition, state.instanceId(), null));
      }
    }
  }

  boolean anyDue(long nowMillis) {
    Due head = queue.peek();
    return head != null && head.atMillis <= nowMillis;
  }

  /**
   * Takes the removals due by {@code nowMillis} of partitions {@code owned} holds, applies them to
   * {@code store} (a key leaves its state's retired list; a deleted instance's state is removed)
   * and returns the mapping keys whose tombstones to write, each with its instance's {@code
   * location_gen}: no record of the key written so far is above it, every later one is (DESIGN
   * "Bounded growth"). Removals of partitions no longer owned are dropped (their new owner restored
   * them).
   */
  Map<MappingKey, Long> apply(StateStore store, long nowMillis) {
    Map<InstanceId, Set<MappingKey>> keys = new LinkedHashMap<>();
    Map<InstanceId, Integer> partitions = new LinkedHashMap<>();
    List<InstanceId> states = new ArrayList<>();
    while (anyDue(nowMillis)) {
      Due due = queue.poll();
      if (!store.holds(due.partition())) {
        continue;
      }
      taken.add(due);
      partitions.put(due.instance(), due.partition());
      if (due.key() == null) {
        states.add(due.instance());
      } else {
        keys.computeIfAbsent(due.instance(), id -> new LinkedHashSet<>()).add(due.key());
      }
    }
    Map<MappingKey, Long> tombstones = new LinkedHashMap<>();
    keys.forEach(
        (instance, retired) -> {
          int partition = partitions.get(instance);
          InstanceState state = store.get(partition, instance);
          List<MappingKey> present = new ArrayList<>(retired);
          present.retainAll(new HashSet<>(state.retired()));
          if (!present.isEmpty()) {
            present.forEach(key -> tombstones.put(key, state.locationGen()));
            store.put(partition, state.withoutRetired(present));
          }
        });
    for (InstanceId instance : states) {
      int partition = partitions.get(instance);
      if (store.get(partition, instance).deleted()) {
        store.remove(partition, instance);
      }
    }
    return tombstones;
  }

  /** The open transaction committed: what it took is done, what it scheduled stands. */
  void committed() {
    taken.clear();
    scheduled.clear();
    cancelled.clear();
  }

  /**
   * The open transaction aborted: what it took is due again, what its events scheduled is unmade
   * (folding them again schedules it once more) and what they cancelled is due again.
   */
  void rolledBack() {
    queue.addAll(taken);
    queue.addAll(cancelled);
    for (Due due : scheduled) { // last: one scheduled, then taken or cancelled, goes too
      queue.remove(due);
    }
    taken.clear();
    scheduled.clear();
    cancelled.clear();
  }

  /** Forgets the removals of a partition given up (its new owner restores and schedules them). */
  void drop(int partition) {
    queue.removeIf(due -> due.partition() == partition);
    scheduled.removeIf(due -> due.partition() == partition);
    cancelled.removeIf(due -> due.partition() == partition);
    taken.removeIf(due -> due.partition() == partition);
  }

  int pending() {
    return queue.size();
  }
}
