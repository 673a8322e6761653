package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.V2PMapping;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What folding one event did.
 *
 * @param state the new state (the same value when the event was ignored)
 * @param records the mapping records to write, one per key, all at the new location generation
 * @param ignored why the event changed nothing, or null when it changed something
 * @param effects what changed, in order, for humans and counters
 */
public record FoldResult(
    InstanceState state,
    List<V2PMapping> records,
    @Nullable IgnoredReason ignored,
    List<Effect> effects) {

  public FoldResult {
    records = List.copyOf(records);
    effects = List.copyOf(effects);
    if (ignored != null && !records.isEmpty()) {
      throw new IllegalArgumentException("an ignored event emits nothing");
    }
  }

  static FoldResult ignored(InstanceState state, IgnoredReason reason) {
    return new FoldResult(state, List.of(), reason, List.of());
  }

  public boolean isIgnored() {
    return ignored != null;
  }
}
