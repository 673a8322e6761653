package dev.v2pledger.projector.runner;

import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MappingKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * When to remove what the projector no longer needs (DESIGN "Bounded growth"): each retired mapping
 * key a grace period after the event that retired it (restored ones: after the time their state
 * record's {@link #HEADER} gives, or the time it was written, which is no earlier), each deleted
 * instance's state a grace period after its deletion, and never before its keys (restored ones:
 * after the time their state was written). The queue follows the open transaction: if it aborts,
 * the removals it took come back, and the ones its events scheduled or cancelled are undone (its
 * events are folded again and schedule them anew). Owned by the runner's thread.
 */
final class Retirements {
  /**
   * A removal due at {@code atMillis}: a mapping key of an instance, or (key null) the deleted
   * instance's state, which comes after its keys.
   */
  record Due(long atMillis, int partition, InstanceId instance, @Nullable MappingKey key) {}

  /** State record header: when each of its retired keys was retired (see {@link #header}). */
  static final String HEADER = "v2p.retired-at";

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

  /** When each pending key of an instance was retired (its due time less the grace period). */
  private final Map<InstanceId, Map<MappingKey, Long>> retiredAt = new HashMap<>();

  /**
   * The longest grace counted (about 73 million years): a longer one is "for ever", and a log time
   * plus this cannot overflow into the past (which made everything due at once).
   */
  private static final long MAX_GRACE_MILLIS = Long.MAX_VALUE / 4;

  /**
   * Removals {@code grace} after their cause (rounded up to whole milliseconds, the log's times);
   * none for a zero grace.
   */
  Retirements(Duration grace) {
    this.graceMillis =
        grace.compareTo(Duration.ofMillis(MAX_GRACE_MILLIS)) >= 0
            ? MAX_GRACE_MILLIS
            : grace.plusNanos(999_999).toMillis(); // less than 1 ms is not zero
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
              unindex(due);
            }
            return cancel;
          });
    }
    if (after.deleted() && !before.deleted()) {
      // no earlier than its keys' removals, which need the state: log times can go back within a
      // partition (a new leader with a slower clock), so a key retired before the deletion may
      // have a later time
      long at = eventMillis;
      for (long retired : retiredAt.getOrDefault(after.instanceId(), Map.of()).values()) {
        at = Math.max(at, retired);
      }
      schedule(new Due(at + graceMillis, partition, after.instanceId(), null));
    }
  }

  private void schedule(Due due) {
    queue.add(due);
    scheduled.add(due);
    index(due);
  }

  private void index(Due due) {
    if (due.key() != null) {
      retiredAt
          .computeIfAbsent(due.instance(), id -> new HashMap<>())
          .put(due.key(), due.atMillis() - graceMillis);
    }
  }

  private void unindex(Due due) {
    Map<MappingKey, Long> keys = retiredAt.get(due.instance());
    if (due.key() != null && keys != null && keys.remove(due.key()) != null && keys.isEmpty()) {
      retiredAt.remove(due.instance());
    }
  }

  /** After the queue changed in bulk (an abort, a partition given up): the index follows it. */
  private void reindex() {
    retiredAt.clear();
    queue.forEach(this::index);
  }

  /**
   * The value of {@link #HEADER} for {@code state}'s record: when each key of its retired list was
   * retired, epoch milliseconds, comma-separated, in the list's order; null when there is nothing
   * to say (no retired key, or removals off; a key restored from a record without the header has
   * that record's time, which is no earlier than its retirement).
   */
  @Nullable String header(InstanceState state) {
    Map<MappingKey, Long> keys = retiredAt.get(state.instanceId());
    if (!enabled() || state.retired().isEmpty() || keys == null) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (MappingKey key : state.retired()) {
      Long at = keys.get(key);
      if (at == null) {
        return null;
      }
      out.append(out.length() == 0 ? "" : ",").append(at);
    }
    return out.toString();
  }

  /**
   * The text of the last {@link #HEADER} in {@code headers}, or null when there is none or it has
   * no value (only another writer makes such a header: read as no header, the restore goes on).
   */
  static @Nullable String headerText(Headers headers) {
    Header header = headers.lastHeader(HEADER);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Reads {@link #HEADER}: one time per retired key, or null if it does not say that. */
  static long @Nullable [] parseHeader(@Nullable String value, int retiredKeys) {
    if (value == null || retiredKeys == 0) {
      return null;
    }
    String[] parts = value.split(",", -1);
    if (parts.length != retiredKeys) {
      return null;
    }
    long[] times = new long[parts.length];
    try {
      for (int i = 0; i < parts.length; i++) {
        times[i] = Long.parseLong(parts[i]);
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return times;
  }

  /** The states of a restored partition as {@link StateRestorer.Restored} has them. */
  void restored(int partition, Collection<InstanceState> states, StateRestorer.Restored restored) {
    restored(partition, states, restored.writtenAt(), restored.retiredAt());
  }

  /**
   * The states of a restored partition, each written at its changelog record's time, their retired
   * keys retired at the times their header gave (never later than the record's time), if it did.
   */
  void restored(
      int partition,
      Collection<InstanceState> states,
      Map<InstanceId, Long> writtenAt,
      Map<InstanceId, long[]> retiredTimes) {
    if (!enabled()) {
      return;
    }
    for (InstanceState state : states) {
      long written = writtenAt.getOrDefault(state.instanceId(), 0L);
      long[] times = retiredTimes.get(state.instanceId());
      List<MappingKey> keys = state.retired();
      for (int i = 0; i < keys.size(); i++) {
        long retired =
            times != null && times.length == keys.size() ? Math.min(times[i], written) : written;
        Due due = new Due(retired + graceMillis, partition, state.instanceId(), keys.get(i));
        queue.add(due);
        index(due);
      }
      if (state.deleted()) {
        queue.add(new Due(written + graceMillis, partition, state.instanceId(), null));
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
      unindex(due);
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
    reindex();
  }

  /** Forgets the removals of a partition given up (its new owner restores and schedules them). */
  void drop(int partition) {
    queue.removeIf(due -> due.partition() == partition);
    scheduled.removeIf(due -> due.partition() == partition);
    cancelled.removeIf(due -> due.partition() == partition);
    taken.removeIf(due -> due.partition() == partition);
    reindex();
  }

  int pending() {
    return queue.size();
  }
}
