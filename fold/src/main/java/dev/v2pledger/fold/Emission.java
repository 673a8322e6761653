package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.MappingState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * DESIGN rule 9: the records one event writes, from the desired records before and after it. A key
 * is written SET when its target changed or the location moved (another VMM, or a failure to
 * re-assert); CLEARED when it was SET and no longer is. A key never SET is never written. Also the
 * location effects of rule 8 (located, lost, re-asserted, a migration resolved by its reports).
 */
final class Emission {
  /** A key's desired state: SET at {@code target}, or not in force (null target). */
  private record Desired(@Nullable V2PTarget target, NicId nicId) {}

  private Emission() {}

  static FoldResult result(
      InstanceState before,
      InstanceState after,
      @Nullable IgnoredReason ignored,
      List<Effect> effects) {
    Location was = before.location();
    Location is = after.location();
    boolean relocated = !is.equals(was);
    CowList<Effect> all = new CowList<>(effects); // copied only when the location adds one
    locationEffects(before, after, was, is, relocated, all);
    List<V2PMapping> records = List.of();
    List<MappingKey> retired = after.retired();
    if (after.nics() != before.nics() || relocated) {
      records = records(before, was, after, is, before.locationGen() + 1);
      retired = retired(before, after);
      int budget =
          Math.max(
              0,
              Math.min(InstanceState.Bounds.RETIRED, InstanceState.Bounds.KEYS - ownedKeys(after)));
      int over = retired.size() - budget;
      if (over > 0) {
        retired = List.copyOf(retired.subList(over, retired.size()));
        all.edit().add(new Effect.RetiredForgotten(over));
      }
    }
    long gen = records.isEmpty() ? before.locationGen() : before.locationGen() + 1;
    InstanceState next =
        gen == after.locationGen() && retired == after.retired()
            ? after
            : with(after, gen, retired);
    return new FoldResult(next, records, records.isEmpty() ? ignored : null, all.view());
  }

  private static List<V2PMapping> records(
      InstanceState before, Location was, InstanceState after, Location is, long gen) {
    if (before.nics() == after.nics() && after.nics().size() <= 1) {
      return moved(after, was, is, gen); // one NIC's keys are distinct: no maps needed
    }
    Map<MappingKey, Desired> old = desired(before, was);
    Map<MappingKey, Desired> now = desired(after, is);
    boolean moved = is.movedFrom(was);
    List<V2PMapping> out = new ArrayList<>();
    old.forEach(
        (key, desired) -> {
          if (desired.target() != null && !now.containsKey(key)) {
            out.add(record(after, key, null, desired.nicId(), gen));
          }
        });
    now.forEach(
        (key, desired) -> {
          Desired prior = old.get(key);
          V2PTarget wasTarget = prior == null ? null : prior.target();
          if (desired.target() != null) {
            if (moved || !desired.target().equals(wasTarget)) {
              out.add(record(after, key, desired.target(), desired.nicId(), gen));
            }
          } else if (wasTarget != null) {
            out.add(record(after, key, null, desired.nicId(), gen));
          }
        });
    return out;
  }

  /** The NIC did not change, only the location: every key follows it. */
  private static List<V2PMapping> moved(InstanceState state, Location was, Location is, long gen) {
    PlacedVmm vmm = is.vmm();
    if (vmm == null && was.vmm() == null) {
      return List.of();
    }
    List<V2PMapping> out = new ArrayList<>();
    for (Nic nic : state.nics()) {
      V2PTarget target =
          vmm == null ? null : new V2PTarget(nic.mac(), vmm.sledUnderlayIp(), vmm.sledId());
      for (MappingKey key : nic.keys()) {
        out.add(record(state, key, target, nic.nicId(), gen));
      }
    }
    return out;
  }

  private static Map<MappingKey, Desired> desired(InstanceState state, Location location) {
    Map<MappingKey, Desired> desired = new LinkedHashMap<>();
    PlacedVmm vmm = location.vmm();
    for (Nic nic : state.nics()) {
      V2PTarget target =
          vmm == null ? null : new V2PTarget(nic.mac(), vmm.sledUnderlayIp(), vmm.sledId());
      for (MappingKey key : nic.keys()) {
        desired.put(key, new Desired(target, nic.nicId()));
      }
    }
    return desired;
  }

  private static V2PMapping record(
      InstanceState state, MappingKey key, @Nullable V2PTarget target, NicId nic, long gen) {
    return new V2PMapping(
        key,
        target == null ? MappingState.CLEARED : MappingState.SET,
        target,
        state.instanceId(),
        nic,
        gen);
  }

  private static void locationEffects(
      InstanceState before,
      InstanceState after,
      Location was,
      Location is,
      boolean relocated,
      CowList<Effect> out) {
    Migration migration = after.migration();
    if (migration != null) {
      boolean same =
          before.migration() != null
              && migration.migrationId().equals(before.migration().migrationId());
      MigrationOutcome then =
          same ? before.outcome(migration.migrationId()) : MigrationOutcome.OPEN;
      MigrationOutcome now = after.outcome(migration.migrationId());
      if (now != then) {
        out.edit().add(new Effect.MigrationResolved(migration.migrationId(), now, Rule.LOCATION));
      }
    }
    if (!relocated) {
      return;
    }
    PlacedVmm vmm = is.vmm();
    if (vmm == null) {
      out.edit().add(new Effect.LocationLost(was.vmm() == null ? null : was.vmm().vmmId()));
    } else if (!vmm.equals(was.vmm())) {
      out.edit().add(new Effect.LocationSet(vmm));
    } else if (is.reassertedFor() != null
        && !Objects.equals(is.reassertedFor(), was.reassertedFor())) {
      out.edit().add(new Effect.Reasserted(vmm, is.reassertedFor()));
    }
  }

  /**
   * The retired keys after the event: those before, plus the keys of NICs before that no NIC has
   * now, minus any desired again (DESIGN rule 9, "Bounded growth").
   */
  private static List<MappingKey> retired(InstanceState before, InstanceState after) {
    if (before.nics() == after.nics()) {
      return after.retired();
    }
    Set<MappingKey> now = new HashSet<>(after.ownedKeys());
    LinkedHashSet<MappingKey> out = new LinkedHashSet<>(after.retired());
    boolean changed = out.removeIf(now::contains);
    for (MappingKey key : before.ownedKeys()) {
      if (!now.contains(key)) {
        changed |= out.add(key); // a key removed above is in now: never added back here
      }
    }
    return changed ? List.copyOf(out) : after.retired();
  }

  private static int ownedKeys(InstanceState state) {
    int keys = 0;
    for (Nic nic : state.nics()) {
      keys += nic.ips().size();
    }
    return keys;
  }

  private static InstanceState with(InstanceState s, long gen, List<MappingKey> retired) {
    return new InstanceState(
        s.instanceId(),
        gen,
        s.deleted(),
        s.instanceGen(),
        s.nics(),
        s.activeVmm(),
        s.migration(),
        s.failedMigration(),
        s.sideReports(),
        s.vmms(),
        s.pastVmms(),
        s.pastMigrations(),
        retired);
  }
}
