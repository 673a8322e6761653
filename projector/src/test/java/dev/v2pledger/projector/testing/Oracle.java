package dev.v2pledger.projector.testing;

import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.FoldResult;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * What the projector must write, computed in-process with the same fold: each instance's events
 * folded in log order, every record it emits cited with its event's position. Exactly-once means
 * {@code v2p.mappings} holds exactly these records, each once.
 */
public final class Oracle {
  private final Map<InstanceId, InstanceState> states = new HashMap<>();
  private final List<ProjectedMapping> records = new ArrayList<>();
  private int events;

  /** Folds one valid event, which sits at {@code position} of the events topic. */
  public void fold(InstanceEvent event, EventPosition position) {
    InstanceState state =
        states.getOrDefault(event.instanceId(), InstanceState.empty(event.instanceId()));
    FoldResult result = Fold.apply(state, event);
    states.put(event.instanceId(), result.state());
    for (V2PMapping mapping : result.records()) {
      records.add(new ProjectedMapping(mapping, position));
    }
    events++;
  }

  public List<ProjectedMapping> records() {
    return List.copyOf(records);
  }

  /** The final states of the instances some event changed. */
  public Map<InstanceId, InstanceState> states() {
    Map<InstanceId, InstanceState> changed = new HashMap<>();
    states.forEach(
        (id, state) -> {
          if (!state.equals(InstanceState.empty(id))) {
            changed.put(id, state);
          }
        });
    return changed;
  }

  /** The table in force (MappingTable's rule) of the expected records. */
  public NavigableMap<Vip, V2PMapping> inForce() {
    return MappingTable.of(records.stream().map(ProjectedMapping::mapping).toList()).inForce();
  }

  public int events() {
    return events;
  }
}
