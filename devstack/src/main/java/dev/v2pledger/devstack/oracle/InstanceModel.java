package dev.v2pledger.devstack.oracle;

import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPayload.InstanceDeleted;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.NicDetached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.EventPayload.VmmReported;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.VmmId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One instance as DESIGN's fold rules describe it, written for the oracle: its NICs, its active VMM
 * (or none), the migration in flight (or none), reports kept for migrations not seen yet, what it
 * remembers of VMMs and migrations, and the last accepted generation of each VMM and migration
 * side. Mutable; {@link #apply} is the only way in.
 */
final class InstanceModel {
  static final int MAX_BUFFERED = 16;
  static final int REMEMBERED_MIGRATIONS = 8;
  static final int REMEMBERED_VMMS = 8;

  private record SideKey(MigrationId migration, MigrationSide side) {}

  private boolean deleted;
  private final Map<NicId, NicAttached> nics = new LinkedHashMap<>();
  private @Nullable Placement active;
  private @Nullable MigrationStarted current;
  private final ArrayDeque<MigrationId> resolved = new ArrayDeque<>();
  private final ArrayDeque<VmmId> seenVmms = new ArrayDeque<>();
  private final ArrayDeque<MigrationReported> buffered = new ArrayDeque<>();
  private final Map<VmmId, Long> vmmGens = new HashMap<>();
  private final Map<SideKey, Long> sideGens = new HashMap<>();
  private final Set<VmmId> terminal = new HashSet<>();
  private long dropped;

  boolean deleted() {
    return deleted;
  }

  @Nullable Placement active() {
    return active;
  }

  @Nullable NicAttached nic(NicId id) {
    return nics.get(id);
  }

  /** Reports dropped from a full buffer (oldest first). */
  long dropped() {
    return dropped;
  }

  Decision apply(EventPayload payload) {
    if (deleted) {
      return Decision.DELETED; // rule 1
    }
    if (payload instanceof InstanceDeleted) {
      deleted = true; // every pair goes away
      active = null;
      current = null;
      return Decision.APPLIED;
    }
    if (payload instanceof NicAttached attached) {
      return attach(attached);
    }
    if (payload instanceof NicDetached detached) {
      return nics.remove(detached.nicId()) == null ? Decision.UNKNOWN_NIC : Decision.APPLIED;
    }
    if (payload instanceof VmmPlaced placed) {
      return place(placed);
    }
    if (payload instanceof MigrationStarted started) {
      return start(started);
    }
    if (payload instanceof MigrationReported reported) {
      return report(reported);
    }
    if (payload instanceof VmmReported reported) {
      return vmm(reported);
    }
    throw new IllegalArgumentException("unknown payload " + payload);
  }

  /** Rule 2: a NIC with the same content is a duplicate; otherwise it is added or replaced. */
  private Decision attach(NicAttached attached) {
    NicAttached known = nics.get(attached.nicId());
    if (known != null && sameContent(known, attached)) {
      return Decision.DUPLICATE;
    }
    nics.put(attached.nicId(), attached);
    return Decision.APPLIED;
  }

  private static boolean sameContent(NicAttached a, NicAttached b) {
    return a.vni().equals(b.vni())
        && a.mac().equals(b.mac())
        && a.ipEpoch() == b.ipEpoch()
        && new HashSet<>(a.ips()).equals(new HashSet<>(b.ips()));
  }

  /** Rule 4: a new VMM ends any migration in flight (failed) and becomes the active one. */
  private Decision place(VmmPlaced placed) {
    if (seenVmms.contains(placed.vmmId())) {
      return Decision.DUPLICATE;
    }
    if (current != null) {
      remember(resolved, current.migrationId(), REMEMBERED_MIGRATIONS);
      current = null;
    }
    remember(seenVmms, placed.vmmId(), REMEMBERED_VMMS);
    active = new Placement(placed.vmmId(), placed.sledId(), placed.sledUnderlayIp());
    return Decision.APPLIED;
  }

  /**
   * Rule 5: a migration already seen is a duplicate; one in flight is resolved first (completed if
   * the new one leaves from its target, failed otherwise); reports kept for the new one are folded.
   */
  private Decision start(MigrationStarted started) {
    MigrationId id = started.migrationId();
    if ((current != null && current.migrationId().equals(id)) || resolved.contains(id)) {
      return Decision.DUPLICATE;
    }
    if (current != null) {
      boolean completed = started.sourceVmmId().equals(current.targetVmmId());
      resolve(current, completed ? MigrationState.COMPLETED : MigrationState.FAILED);
    }
    current = started;
    List<MigrationReported> mine = new ArrayList<>();
    for (Iterator<MigrationReported> it = buffered.iterator(); it.hasNext(); ) {
      MigrationReported kept = it.next();
      if (kept.migrationId().equals(id)) {
        mine.add(kept);
        it.remove();
      }
    }
    for (MigrationReported kept : mine) {
      report(kept);
    }
    return Decision.APPLIED;
  }

  /** Rule 6: reports of the migration in flight; the first terminal one resolves it. */
  private Decision report(MigrationReported reported) {
    MigrationId id = reported.migrationId();
    if (resolved.contains(id)) {
      return Decision.MIGRATION_ALREADY_RESOLVED;
    }
    MigrationStarted migration = current;
    if (migration == null || !migration.migrationId().equals(id)) {
      buffered.addLast(reported);
      if (buffered.size() > MAX_BUFFERED) {
        buffered.removeFirst();
        dropped++;
      }
      return Decision.NOTED;
    }
    SideKey key = new SideKey(id, reported.side());
    Long last = sideGens.get(key);
    if (last != null && reported.gen() <= last) {
      return Decision.STALE_REPORT;
    }
    sideGens.put(key, reported.gen());
    if (!reported.state().isTerminal()) {
      return Decision.NOTED;
    }
    resolve(migration, reported.state());
    return Decision.APPLIED;
  }

  /**
   * A migration's outcome: completed moves the instance to the target (nowhere if the target VMM is
   * already gone); failed leaves it on the source (nowhere if the source VMM is already gone).
   */
  private void resolve(MigrationStarted migration, MigrationState outcome) {
    if (outcome == MigrationState.COMPLETED) {
      active =
          terminal.contains(migration.targetVmmId())
              ? null
              : new Placement(
                  migration.targetVmmId(),
                  migration.targetSledId(),
                  migration.targetSledUnderlayIp());
    } else if (terminal.contains(migration.sourceVmmId())) {
      active = null;
    }
    remember(resolved, migration.migrationId(), REMEMBERED_MIGRATIONS);
    if (current == migration) {
      current = null;
    }
  }

  /**
   * Rule 7: a terminal report ends the active VMM's location, unless a migration out of it is in
   * flight (its outcome decides); any other VMM's report changes no location.
   */
  private Decision vmm(VmmReported reported) {
    Long last = vmmGens.get(reported.vmmId());
    if (last != null && reported.gen() <= last) {
      return Decision.STALE_REPORT;
    }
    vmmGens.put(reported.vmmId(), reported.gen());
    if (!reported.state().isTerminal()) {
      return Decision.NOTED;
    }
    terminal.add(reported.vmmId());
    Placement placed = active;
    if (placed == null || !placed.vmm().equals(reported.vmmId())) {
      return Decision.NOTED;
    }
    if (current != null && current.sourceVmmId().equals(reported.vmmId())) {
      return Decision.NOTED;
    }
    active = null;
    return Decision.APPLIED;
  }

  private static <T> void remember(ArrayDeque<T> memory, T id, int bound) {
    memory.addLast(id);
    while (memory.size() > bound) {
      memory.removeFirst();
    }
  }
}
