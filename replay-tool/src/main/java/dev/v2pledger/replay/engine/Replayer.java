package dev.v2pledger.replay.engine;

import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.FoldResult;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.replay.source.Position;
import dev.v2pledger.replay.source.ReplayEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Version.Verdict;
import dev.v2pledger.schema.domain.Vip;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds a log: per instance with {@link Fold#apply}, then every emitted record into a {@link
 * MappingTable}, as the projector and the appliers do. Not thread-safe.
 */
public final class Replayer {

  /** Sees every folded event, with the instance's state before it and the fold's result. */
  @FunctionalInterface
  public interface Observer {
    void folded(ReplayEvent event, InstanceState before, FoldResult result);
  }

  private final Map<InstanceId, InstanceState> states = new HashMap<>();
  private final MappingTable table = new MappingTable();
  private final Map<Vip, Position> causeOfNewest = new HashMap<>();
  private final List<Observer> observers = new ArrayList<>();
  private long events;
  private long conflicts;

  public Replayer observe(Observer observer) {
    observers.add(observer);
    return this;
  }

  /** Folds one event. */
  public void accept(ReplayEvent replayed) {
    InstanceId instance = replayed.event().instanceId();
    InstanceState before = states.getOrDefault(instance, InstanceState.empty(instance));
    FoldResult result = Fold.apply(before, replayed.event());
    if (result.state() != before) {
      states.put(instance, result.state());
    }
    for (V2PMapping record : result.records()) {
      Verdict verdict = table.offer(record);
      if (verdict.replaces()) {
        causeOfNewest.put(record.vip(), replayed.position());
      }
      if (verdict == Verdict.CONFLICT) {
        conflicts++;
      }
    }
    events++;
    for (Observer observer : observers) {
      observer.folded(replayed, before, result);
    }
  }

  public Map<InstanceId, InstanceState> states() {
    return Collections.unmodifiableMap(states);
  }

  public MappingTable table() {
    return table;
  }

  /** The event that caused the newest record of {@code vip}. */
  public Position causeOf(Vip vip) {
    return causeOfNewest.get(vip);
  }

  public long events() {
    return events;
  }

  /**
   * Records with the version of a held one but other content: only a second writer of a key can
   * cause them.
   */
  public long conflicts() {
    return conflicts;
  }
}
