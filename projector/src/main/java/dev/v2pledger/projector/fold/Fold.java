package dev.v2pledger.projector.fold;

import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPayload.InstanceDeleted;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.NicDetached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.EventPayload.VmmReported;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.MappingKey;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The fold of DESIGN's "Fold rules": {@code apply(state, event)} gives the instance's next state
 * and the mapping records the event causes. Total (an event it cannot use is ignored with a reason,
 * never an exception), deterministic, and idempotent (folding the same event twice in a row changes
 * nothing the second time).
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
    Transition t = new Transition(state);
    IgnoredReason ignored = dispatch(t, event.payload());
    return ignored != null ? FoldResult.ignored(state, ignored) : t.result();
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
      return nicAttached(t, p);
    }
    if (payload instanceof NicDetached p) {
      return nicDetached(t, p);
    }
    if (payload instanceof VmmPlaced p) {
      return vmmPlaced(t, p);
    }
    if (payload instanceof MigrationStarted p) {
      return MigrationRules.started(t, p);
    }
    if (payload instanceof MigrationReported p) {
      return MigrationRules.reported(t, p);
    }
    if (payload instanceof VmmReported p) {
      return vmmReported(t, p);
    }
    if (payload instanceof InstanceDeleted) {
      return instanceDeleted(t);
    }
    throw new IllegalStateException("unhandled payload " + payload.type());
  }

  /** Rule 1: deletion clears every pair the instance owns; later events are ignored. */
  private static @Nullable IgnoredReason instanceDeleted(Transition t) {
    t.clearAllPairs();
    t.deleted = true;
    t.nics.edit().clear();
    t.activeVmm = null;
    t.migration = null;
    t.buffered.edit().clear();
    t.vmms.edit().clear();
    t.recentVmms.edit().clear();
    t.resolved.edit().clear();
    t.effect(new Effect.Deleted());
    return null;
  }

  /**
   * Rule 2: a known NIC with the same content is a duplicate; otherwise it is added or replaced,
   * the keys it no longer has are cleared, and with a location its pairs are set. A known NIC
   * re-announced at a lower {@code ip_epoch} is stale (epochs only grow).
   */
  private static @Nullable IgnoredReason nicAttached(Transition t, NicAttached attached) {
    Nic incoming = Nic.of(attached);
    Nic known = t.before().nic(attached.nicId());
    if (incoming.equals(known)) {
      return IgnoredReason.DUPLICATE;
    }
    if (known != null && incoming.ipEpoch() < known.ipEpoch()) {
      return IgnoredReason.STALE_NIC;
    }
    if (known != null) {
      List<MappingKey> gone = new ArrayList<>(known.keys());
      gone.removeAll(incoming.keys());
      t.clearKeys(gone, known.nicId());
      List<Nic> nics = t.nics.edit();
      nics.set(nics.indexOf(known), incoming);
    } else {
      t.nics.edit().add(incoming);
    }
    t.setPairs(incoming);
    t.effect(new Effect.NicSet(incoming.nicId(), incoming.ips().size()));
    return null;
  }

  /** Rule 3: an unknown NIC is ignored; otherwise its pairs are cleared. */
  private static @Nullable IgnoredReason nicDetached(Transition t, NicDetached detached) {
    Nic known = t.before().nic(detached.nicId());
    if (known == null) {
      return IgnoredReason.UNKNOWN_NIC;
    }
    t.nics.edit().remove(known);
    t.clearKeys(known.keys(), known.nicId());
    t.effect(new Effect.NicRemoved(known.nicId()));
    return null;
  }

  /**
   * Rule 4: a VMM already seen is a duplicate. Otherwise an unresolved migration is resolved FAILED
   * (no re-assert: the new placement sets every pair anyway), and the VMM becomes active.
   */
  private static @Nullable IgnoredReason vmmPlaced(Transition t, VmmPlaced placed) {
    if (t.before().recentVmms().contains(placed.vmmId())) {
      return IgnoredReason.DUPLICATE;
    }
    if (t.migration != null) {
      MigrationRules.resolve(t, MigrationOutcome.FAILED, true, false);
    }
    t.rememberVmm(placed.vmmId());
    t.locate(new PlacedVmm(placed.vmmId(), placed.sledId(), placed.sledUnderlayIp()));
    return null;
  }

  /**
   * Rule 7: reports at or below the VMM's last accepted generation are stale; a move its lifecycle
   * forbids is ignored. DESTROYED and FAILED mark the VMM terminal; if it is the active VMM and no
   * migration out of it is unresolved, the instance loses its location.
   */
  private static @Nullable IgnoredReason vmmReported(Transition t, VmmReported reported) {
    VmmReport last = t.before().vmmReport(reported.vmmId());
    if (last != null && reported.gen() <= last.gen()) {
      return IgnoredReason.STALE_REPORT;
    }
    if (last != null && !reported.state().canFollow(last.state())) {
      return IgnoredReason.ILLEGAL_TRANSITION;
    }
    t.rememberVmmReport(new VmmReport(reported.vmmId(), reported.gen(), reported.state()));
    if (!reported.state().isTerminal() || (last != null && last.state().isTerminal())) {
      return null;
    }
    t.effect(new Effect.VmmGone(reported.vmmId()));
    boolean isActive = t.activeVmm != null && t.activeVmm.vmmId().equals(reported.vmmId());
    boolean migratingOut =
        t.migration != null && t.migration.sourceVmmId().equals(reported.vmmId());
    if (isActive && !migratingOut) {
      t.loseLocation(reported.vmmId());
    }
    return null;
  }
}
