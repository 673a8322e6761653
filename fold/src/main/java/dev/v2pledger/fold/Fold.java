package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPayload.InstanceDeleted;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.NicDetached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.EventPayload.VmmReported;
import dev.v2pledger.schema.domain.InstanceEvent;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The fold of DESIGN's "Fold rules": {@code apply(state, event)} gives the instance's next state
 * and the mapping records the event causes. Nexus' events change Nexus' view ({@link NexusRules}),
 * sled agents' reports change registers ({@link ReportRules}); the location is then recomputed from
 * the state alone ({@link Location}, rule 8) and the records follow from the difference ({@link
 * Emission}, rule 9). Total (an event it cannot use is ignored with a reason, never an exception),
 * deterministic, and idempotent: folding an event again writes nothing.
 */
public final class Fold {
  private Fold() {}

  /** Folds one event of {@code state}'s instance. */
  public static FoldResult apply(InstanceState state, InstanceEvent event) {
    if (!event.instanceId().equals(state.instanceId())) {
      return FoldResult.ignored(state, IgnoredReason.WRONG_INSTANCE);
    }
    if (state.deleted()) {
      return FoldResult.ignored(state, IgnoredReason.INSTANCE_DELETED);
    }
    Long gen = event.type().publishedByNexus() ? event.instanceGen() : null;
    if (gen != null && gen <= state.instanceGen()) {
      return FoldResult.ignored(state, IgnoredReason.OLD_GENERATION); // rule 0
    }
    Transition t = new Transition(state); // after the fence: an old generation copies nothing
    if (gen != null) {
      t.instanceGen = gen;
    }
    IgnoredReason ignored = dispatch(t, event.payload());
    InstanceState after = t.next();
    if (after == state) {
      return new FoldResult(state, List.of(), ignored, t.effects());
    }
    return Emission.result(state, after, ignored, t.effects());
  }

  /** Folds a sequence of events into {@code state}, keeping only the final state. */
  public static InstanceState applyAll(InstanceState state, Iterable<InstanceEvent> events) {
    InstanceState current = state;
    for (InstanceEvent event : events) {
      current = apply(current, event).state();
    }
    return current;
  }

  private static @Nullable IgnoredReason dispatch(Transition t, EventPayload payload) {
    if (payload instanceof NicAttached p) {
      return NexusRules.nicAttached(t, p);
    }
    if (payload instanceof NicDetached p) {
      return NexusRules.nicDetached(t, p);
    }
    if (payload instanceof VmmPlaced p) {
      return NexusRules.vmmPlaced(t, p);
    }
    if (payload instanceof MigrationStarted p) {
      return NexusRules.migrationStarted(t, p);
    }
    if (payload instanceof InstanceDeleted) {
      return NexusRules.instanceDeleted(t);
    }
    if (payload instanceof MigrationReported p) {
      return ReportRules.migrationReported(t, p);
    }
    if (payload instanceof VmmReported p) {
      return ReportRules.vmmReported(t, p);
    }
    throw new IllegalStateException("unhandled payload " + payload.type());
  }
}
