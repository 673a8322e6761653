package dev.v2pledger.replay.engine;

import dev.v2pledger.fold.Effect;
import dev.v2pledger.fold.FoldResult;
import dev.v2pledger.fold.IgnoredReason;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.MigrationOutcome;
import dev.v2pledger.replay.source.ReplayEvent;
import dev.v2pledger.schema.domain.EventType;
import dev.v2pledger.schema.domain.MigrationId;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts by event type, ignored reason and migration outcome: each migration once, by its last
 * outcome (the fold resolves one again when a later report changes it, e.g. a target that
 * completed, then a source that failed).
 */
public final class Stats implements Replayer.Observer {
  private final Map<EventType, Long> byType = new EnumMap<>(EventType.class);
  private final Map<String, Long> ignored = new TreeMap<>();
  private final Map<MigrationId, Effect.MigrationResolved> resolved = new HashMap<>();
  private long records;

  @Override
  public void folded(ReplayEvent event, InstanceState before, FoldResult result) {
    byType.merge(event.event().type(), 1L, Long::sum);
    records += result.records().size();
    if (result.ignored() != null) {
      ignored.merge(result.ignored().label(), 1L, Long::sum);
    }
    for (Effect effect : result.effects()) {
      if (effect instanceof Effect.MigrationResolved resolution) {
        resolved.put(resolution.migrationId(), resolution);
      } else if (effect instanceof Effect.Overflow overflow) {
        ignored.merge(IgnoredReason.BUFFER_OVERFLOW.label(), (long) overflow.count(), Long::sum);
      }
    }
  }

  public Map<EventType, Long> byType() {
    return byType;
  }

  public Map<String, Long> ignored() {
    return ignored;
  }

  /** Migrations resolved, by their last outcome. */
  public Map<MigrationOutcome, Long> outcomes() {
    Map<MigrationOutcome, Long> outcomes = new EnumMap<>(MigrationOutcome.class);
    resolved.values().forEach(r -> outcomes.merge(r.outcome(), 1L, Long::sum));
    return outcomes;
  }

  /** Of those, migrations whose last outcome Nexus implied (no report said it). */
  public long implicitResolutions() {
    return resolved.values().stream().filter(Effect.MigrationResolved::implicit).count();
  }

  public long records() {
    return records;
  }
}
