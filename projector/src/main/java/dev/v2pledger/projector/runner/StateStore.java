package dev.v2pledger.projector.runner;

import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.schema.domain.InstanceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The fold states of the instances of the assigned partitions, with an undo log of the open
 * transaction: the state each changed instance had at the last commit. A commit forgets the log; an
 * abort puts those states back, so the in-memory states again match the committed changelog and
 * offsets. Owned by the runner's thread.
 */
final class StateStore {
  /**
   * A state changed in the open transaction, and the partition it belongs to; a null state is a
   * removed one (its changelog record becomes a tombstone).
   */
  record Changed(int partition, InstanceId instance, @Nullable InstanceState state) {}

  private record Slot(int partition, InstanceId instance) {}

  private final Map<Integer, Map<InstanceId, InstanceState>> partitions = new HashMap<>();

  /** The state each instance had before the open transaction changed it (null: it had none). */
  private final Map<Slot, @Nullable InstanceState> undo = new LinkedHashMap<>();

  private long size;

  boolean holds(int partition) {
    return partitions.containsKey(partition);
  }

  /** Takes the restored states of a newly assigned partition. */
  void load(int partition, Map<InstanceId, InstanceState> states) {
    Map<InstanceId, InstanceState> previous = partitions.put(partition, new HashMap<>(states));
    size += states.size() - (previous == null ? 0 : previous.size());
  }

  /** Forgets a partition that is no longer assigned, including its undo entries. */
  void drop(int partition) {
    Map<InstanceId, InstanceState> previous = partitions.remove(partition);
    if (previous != null) {
      size -= previous.size();
    }
    undo.keySet().removeIf(slot -> slot.partition() == partition);
  }

  void clear() {
    partitions.clear();
    undo.clear();
    size = 0;
  }

  /** The state of an instance, or its empty state when nothing is known of it. */
  InstanceState get(int partition, InstanceId instance) {
    InstanceState state = partition(partition).get(instance);
    return state != null ? state : InstanceState.empty(instance);
  }

  /** Replaces an instance's state within the open transaction. */
  void put(int partition, InstanceState state) {
    Map<InstanceId, InstanceState> states = partition(partition);
    InstanceState before = states.put(state.instanceId(), state);
    if (before == null) {
      size++;
    }
    Slot slot = new Slot(partition, state.instanceId());
    if (!undo.containsKey(slot)) {
      undo.put(slot, before);
    }
  }

  /** Forgets an instance within the open transaction (DESIGN "Bounded growth"). */
  void remove(int partition, InstanceId instance) {
    InstanceState before = partition(partition).remove(instance);
    if (before == null) {
      return;
    }
    size--;
    Slot slot = new Slot(partition, instance);
    if (!undo.containsKey(slot)) {
      undo.put(slot, before);
    }
  }

  /** The instances changed in the open transaction, with their current states (null: removed). */
  List<Changed> changed() {
    List<Changed> out = new ArrayList<>(undo.size());
    for (Slot slot : undo.keySet()) {
      out.add(
          new Changed(
              slot.partition(), slot.instance(), partition(slot.partition()).get(slot.instance())));
    }
    return out;
  }

  /** The open transaction committed: its changes are now the committed state. */
  void committed() {
    undo.clear();
  }

  /** The open transaction aborted: every change it made is undone. */
  void rollback() {
    undo.forEach(
        (slot, before) -> {
          Map<InstanceId, InstanceState> states = partition(slot.partition());
          if (before == null) {
            if (states.remove(slot.instance()) != null) {
              size--;
            }
          } else if (states.put(slot.instance(), before) == null) {
            size++; // it had been removed
          }
        });
    undo.clear();
  }

  long size() {
    return size;
  }

  int pendingChanges() {
    return undo.size();
  }

  private Map<InstanceId, InstanceState> partition(int partition) {
    Map<InstanceId, InstanceState> states = partitions.get(partition);
    if (states == null) {
      throw new IllegalStateException("partition " + partition + " is not restored here");
    }
    return states;
  }
}
