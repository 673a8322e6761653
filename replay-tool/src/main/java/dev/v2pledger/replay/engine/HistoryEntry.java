package dev.v2pledger.replay.engine;

import dev.v2pledger.fold.Effect;
import dev.v2pledger.fold.IgnoredReason;
import dev.v2pledger.fold.PlacedVmm;
import dev.v2pledger.fold.Rule;
import dev.v2pledger.replay.source.Position;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.V2PMapping;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One event in a history: where it sat, what it said, what the fold decided, and the records it
 * emitted (for an IP history, only that IP's records).
 *
 * @param locationAfter where the instance was after the event (null: no location)
 */
public record HistoryEntry(
    Position position,
    InstanceEvent event,
    @Nullable IgnoredReason ignored,
    List<Effect> effects,
    List<V2PMapping> records,
    @Nullable PlacedVmm locationAfter) {

  public HistoryEntry {
    effects = List.copyOf(effects);
    records = List.copyOf(records);
  }

  /**
   * The fold's decision in one line, naming DESIGN's rule behind each part: the ignored reason, or
   * what changed ("rule 5 (MigrationStarted): migration ... started; rule 8 (location): located on
   * sled ...").
   */
  public String decision() {
    if (ignored != null) {
      return "ignored: " + ignored.label() + " [" + ignored.rule(event.type()).label() + "]";
    }
    if (effects.isEmpty()) {
      return records.isEmpty()
          ? "accepted; no location change [" + Rule.of(event.type()).label() + "]"
          : "emitted [" + Rule.EMISSION.label() + "]";
    }
    StringBuilder out = new StringBuilder();
    for (Effect effect : effects) {
      out.append(out.length() == 0 ? "" : "; ")
          .append(effect.rule().label())
          .append(": ")
          .append(effect.describe());
    }
    return out.toString();
  }
}
