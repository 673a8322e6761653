package dev.v2pledger.devstack.report;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.devstack.workload.Step.Truth;
import dev.v2pledger.schema.domain.Vip;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where every VIP really was over time: the entry each sled should have held from each instant on
 * (null: none). Starts from what the cluster held before the run. Thread-safe.
 */
public final class TruthTimeline {
  /** From {@code at} on, {@code vip} really is at {@code expected} (null: nowhere). */
  public record Change(Instant at, Vip vip, @Nullable XdeMapping expected) {}

  private final Map<Vip, XdeMapping> initial;
  private final Map<Vip, XdeMapping> current;
  private final List<Change> changes = new ArrayList<>();

  public TruthTimeline(Map<Vip, XdeMapping> initial) {
    this.initial = Map.copyOf(initial);
    this.current = new HashMap<>(initial);
  }

  public synchronized void record(Instant at, List<Truth> entries) {
    for (Truth truth : entries) {
      changes.add(new Change(at, truth.vip(), truth.expected()));
      if (truth.expected() == null) {
        current.remove(truth.vip());
      } else {
        current.put(truth.vip(), truth.expected());
      }
    }
  }

  /** How many changes were recorded so far: a cheap test of whether {@link #current} changed. */
  public synchronized int changeCount() {
    return changes.size();
  }

  /** Where each VIP is now. */
  public synchronized Map<Vip, XdeMapping> current() {
    return new HashMap<>(current);
  }

  public Map<Vip, XdeMapping> initial() {
    return initial;
  }

  /** Every change so far, in time order. */
  public synchronized List<Change> changes() {
    return List.copyOf(changes);
  }
}
