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

/**
 * Counts by event type, ignored reason and migration outcome: each migration once, by its last
 * outcome (the fold resolves one again when a later report changes it, e.g. a target that
 * completed, then a source that failed: the outcome it had before, which the state before the event
 * tells, is taken back). Memory does not grow with the log.
 */
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
      if (effect instanceof Effect.MigrationResolved resolution) {
        MigrationOutcome was = counted(before, resolution); // OPEN: not counted yet
        if (was != MigrationOutcome.OPEN) {
          outcomes.merge(was, -1L, Long::sum);
        }
        outcomes.merge(resolution.outcome(), 1L, Long::sum);
        implicitResolutions += resolution.implicit() ? 1 : 0;
      } else if (effect instanceof Effect.Overflow overflow) {
        ignored.merge(IgnoredReason.BUFFER_OVERFLOW.label(), (long) overflow.count(), Long::sum);
      }
    }
  }

  /**
   * The outcome {@code resolution}'s migration was counted under before it, as the fold emits
   * resolutions: only the instance's current migration has one (reports of another, come ahead of
   * its start, were never a resolution); OPEN when none.
   */
  private static MigrationOutcome counted(
      InstanceState before, Effect.MigrationResolved resolution) {
    boolean current =
        before.migration() != null
            && before.migration().migrationId().equals(resolution.migrationId());
    return current ? before.outcome(resolution.migrationId()) : MigrationOutcome.OPEN;
  }

  public Map<EventType, Long> byType() {
    return byType;
  }

  public Map<String, Long> ignored() {
    return ignored;
  }

  /** Migrations resolved, by their last outcome. */
  public Map<MigrationOutcome, Long> outcomes() {
    Map<MigrationOutcome, Long> out = new EnumMap<>(outcomes);
    out.values().removeIf(count -> count == 0);
    return out;
  }

  /** Of those, migrations whose outcome Nexus implied (no report said it; it is final). */
  public long implicitResolutions() {
    return implicitResolutions;
  }

  public long records() {
    return records;
  }
}
