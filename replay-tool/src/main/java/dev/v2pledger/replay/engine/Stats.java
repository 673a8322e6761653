package dev.v2pledger.replay.engine;

import dev.v2pledger.fold.Effect;
import dev.v2pledger.fold.FoldResult;
import dev.v2pledger.fold.IgnoredReason;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.MigrationOutcome;
import dev.v2pledger.replay.source.ReplayEvent;
import dev.v2pledger.schema.domain.EventType;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/** Counts by event type, ignored reason and migration outcome. */
public final class Stats implements Replayer.Observer {
  private final Map<EventType, Long> byType = new EnumMap<>(EventType.class);
  private final Map<String, Long> ignored = new TreeMap<>();
  private final Map<MigrationOutcome, Long> outcomes = new EnumMap<>(MigrationOutcome.class);
  private long implicitResolutions;
  private long records;

  @Override
  public void folded(ReplayEvent event, InstanceState before, FoldResult result) {
    byType.merge(event.event().type(), 1L, Long::sum);
    records += result.records().size();
    if (result.ignored() != null) {
      ignored.merge(result.ignored().label(), 1L, Long::sum);
    }
    for (Effect effect : result.effects()) {
      if (effect instanceof Effect.MigrationResolved resolved) {
        outcomes.merge(resolved.outcome(), 1L, Long::sum);
        implicitResolutions += resolved.implicit() ? 1 : 0;
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

  public Map<MigrationOutcome, Long> outcomes() {
    return outcomes;
  }

  public long implicitResolutions() {
    return implicitResolutions;
  }

  public long records() {
    return records;
  }
}
