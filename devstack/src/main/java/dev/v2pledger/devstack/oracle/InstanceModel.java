package dev.v2pledger.devstack.oracle;

import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPayload.InstanceDeleted;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.NicDetached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.EventPayload.VmmReported;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.VmmId;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * One instance as DESIGN's fold rules describe it, written for the oracle from the rules' text and
 * nothing else: Nexus' view (the NICs, the VMM Nexus named active, the latest migration, the failed
 * one it moved past), report registers kept by (terminal, gen, state), the ids Nexus moved past,
 * and the location computed from all that when asked. Mutable; {@link #apply} is the only way in.
 */
final class InstanceModel {
  static final int PENDING = 16;
  static final int PAST = 8;
  static final int NICS = 16;

  private record Side(MigrationId migration, MigrationSide side) {}

  /** DESIGN "Registers": at one gen, the state later in these lists is above. */
  private static final List<String> SIDE_ORDER =
      List.of("PENDING", "IN_PROGRESS", "COMPLETED", "FAILED");

  private static final List<String> VMM_ORDER =
      List.of("STARTING", "RUNNING", "STOPPING", "STOPPED", "MIGRATING", "FAILED", "DESTROYED");

  /** A register's content: terminal or not, the gen it was reported at, and the state's rank. */
  private record Held(boolean terminal, long gen, String state, int rank) {
    Held(boolean terminal, long gen, String state, List<String> order) {
      this(terminal, gen, state, order.indexOf(state));
    }

    /** Whether {@code other} is above this register (DESIGN "Registers"). */
    boolean below(Held other) {
      if (terminal != other.terminal) {
        return other.terminal;
      }
      return other.gen != gen ? other.gen > gen : other.rank > rank;
    }
  }

  private boolean deleted;
  private long instanceGen;
  private final Map<NicId, NicAttached> nics = new LinkedHashMap<>();
  private @Nullable Placement active;
  private @Nullable MigrationStarted latest;
  private @Nullable MigrationId failedBefore;
  private final Map<VmmId, Held> vmms = new LinkedHashMap<>();
  private final Map<Side, Held> sides = new LinkedHashMap<>();
  private final ArrayDeque<VmmId> pastVmms = new ArrayDeque<>();
  private final ArrayDeque<MigrationId> pastMigrations = new ArrayDeque<>();
  private long dropped;

  boolean deleted() {
    return deleted;
  }

  @Nullable NicAttached nic(NicId id) {
    return nics.get(id);
  }

  /** Registers dropped because too many were pending (oldest first). */
  long dropped() {
    return dropped;
  }

  Decision apply(InstanceEvent event) {
    if (deleted) {
      return Decision.DELETED; // rule 1
    }
    EventPayload payload = event.payload();
    Long gen = event.instanceGen();
    if (gen != null && payload.type().publishedByNexus()) {
      if (gen <= instanceGen) {
        return Decision.OLD_GENERATION; // rule 0
      }
      instanceGen = gen;
    }
    if (payload instanceof InstanceDeleted) {
      deleted = true;
      nics.clear();
      active = null;
      latest = null;
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
      return side(reported);
    }
    if (payload instanceof VmmReported reported) {
      return vmm(reported);
    }
    throw new IllegalArgumentException("unknown payload " + payload);
  }

  /**
   * Rule 2: same content (the IPs in the same order) is a duplicate, a lower epoch is stale, as is
   * the same epoch with more IPs; a 17th NIC is too many; else added or replaced.
   */
  private Decision attach(NicAttached attached) {
    NicAttached known = nics.get(attached.nicId());
    if (known != null
        && known.vni().equals(attached.vni())
        && known.mac().equals(attached.mac())
        && known.ipEpoch() == attached.ipEpoch()
        && known.ips().equals(attached.ips())) {
      return Decision.DUPLICATE;
    }
    if (known != null
        && (attached.ipEpoch() < known.ipEpoch()
            || (attached.ipEpoch() == known.ipEpoch() && moreIps(attached, known)))) {
      return Decision.STALE_NIC;
    }
    if (nics.size() + (known == null ? 1 : 0) > NICS) {
      return Decision.TOO_MANY_NICS;
    }
    nics.put(attached.nicId(), attached);
    return Decision.APPLIED;
  }

  /** Every IP of {@code held} is in {@code offered}, and {@code offered} has others. */
  private static boolean moreIps(NicAttached offered, NicAttached held) {
    Set<IpAddr> ips = new HashSet<>(offered.ips());
    Set<IpAddr> before = new HashSet<>(held.ips());
    return ips.containsAll(before) && !ips.equals(before);
  }

  /** Rule 4: a VMM Nexus already named is a duplicate; else it is the active VMM from now on. */
  private Decision place(VmmPlaced placed) {
    VmmId vmm = placed.vmmId();
    if ((active != null && active.vmm().equals(vmm))
        || (latest != null && latest.targetVmmId().equals(vmm))
        || pastVmms.contains(vmm)) {
      return Decision.DUPLICATE;
    }
    if (latest != null) {
      forgetVmm(latest.targetVmmId());
      forgetMigration(latest.migrationId());
      latest = null;
    }
    if (active != null) {
      forgetVmm(active.vmm());
    }
    failedBefore = null;
    active = new Placement(vmm, placed.sledId(), placed.sledUnderlayIp());
    return Decision.APPLIED;
  }

  /**
   * Rule 5: a migration Nexus already named is a duplicate; it must leave from the active VMM (the
   * latest one failed) or from the latest one's target (it completed), into a VMM Nexus never
   * named.
   */
  private Decision start(MigrationStarted started) {
    MigrationId id = started.migrationId();
    if ((latest != null && latest.migrationId().equals(id)) || pastMigrations.contains(id)) {
      return Decision.DUPLICATE;
    }
    boolean fromActive = active != null && active.vmm().equals(started.sourceVmmId());
    boolean fromTarget = latest != null && latest.targetVmmId().equals(started.sourceVmmId());
    if (!fromActive && !fromTarget) {
      return Decision.UNKNOWN_SOURCE_VMM;
    }
    VmmId target = started.targetVmmId();
    if (isActiveOrTarget(target) || pastVmms.contains(target)) {
      return Decision.NAMED_TARGET;
    }
    if (latest != null) {
      if (fromTarget) {
        forgetVmm(active.vmm());
        active =
            new Placement(
                latest.targetVmmId(), latest.targetSledId(), latest.targetSledUnderlayIp());
        failedBefore = null;
      } else {
        forgetVmm(latest.targetVmmId());
        failedBefore = latest.migrationId();
      }
      forgetMigration(latest.migrationId());
    }
    latest = started;
    return Decision.APPLIED;
  }

  /** Rule 6: into its side's register, unless Nexus moved past the migration. */
  private Decision side(MigrationReported reported) {
    boolean named = latest != null && latest.migrationId().equals(reported.migrationId());
    if (!named && pastMigrations.contains(reported.migrationId())) {
      return Decision.PAST_MIGRATION;
    }
    Side key = new Side(reported.migrationId(), reported.side());
    Held offered =
        new Held(
            reported.state().isTerminal(), reported.gen(), reported.state().name(), SIDE_ORDER);
    return register(
        sides,
        key,
        offered,
        named,
        k -> latest != null && k.migration().equals(latest.migrationId()));
  }

  /** Rule 7: into its VMM's register, unless Nexus moved past the VMM. */
  private Decision vmm(VmmReported reported) {
    VmmId vmm = reported.vmmId();
    boolean named = isActiveOrTarget(vmm);
    if (!named && pastVmms.contains(vmm)) {
      return Decision.PAST_VMM;
    }
    Held offered =
        new Held(reported.state().isTerminal(), reported.gen(), reported.state().name(), VMM_ORDER);
    return register(vmms, vmm, offered, named, this::isActiveOrTarget);
  }

  /**
   * {@code offered} into the register of {@code key} unless what it holds is not below it; a report
   * of what Nexus has not {@code named} is kept pending, the oldest dropped past the bound ({@code
   * keep}: which registers are named).
   */
  private <K> Decision register(
      Map<K, Held> registers, K key, Held offered, boolean named, Predicate<K> keep) {
    Decision refused = refuse(registers.get(key), offered);
    if (refused != null) {
      return refused;
    }
    registers.remove(key);
    registers.put(key, offered);
    if (!named) {
      trim(registers, keep);
    }
    return named ? Decision.APPLIED : Decision.NOTED;
  }

  private static @Nullable Decision refuse(@Nullable Held held, Held offered) {
    if (held == null || held.below(offered)) {
      return null;
    }
    return held.terminal() && !offered.terminal()
        ? Decision.ILLEGAL_TRANSITION
        : Decision.STALE_REPORT;
  }

  /** Keeps at most {@link #PENDING} registers Nexus has not named, dropping the oldest. */
  private <K> void trim(Map<K, Held> registers, Predicate<K> named) {
    long pending = registers.keySet().stream().filter(k -> !named.test(k)).count();
    for (Iterator<K> it = registers.keySet().iterator(); pending > PENDING && it.hasNext(); ) {
      if (!named.test(it.next())) {
        it.remove();
        pending--;
        dropped++;
      }
    }
  }

  private boolean isActiveOrTarget(VmmId vmm) {
    return (active != null && active.vmm().equals(vmm))
        || (latest != null && latest.targetVmmId().equals(vmm));
  }

  private void forgetVmm(VmmId vmm) {
    vmms.remove(vmm);
    remember(pastVmms, vmm);
  }

  private void forgetMigration(MigrationId migration) {
    sides.keySet().removeIf(k -> k.migration().equals(migration));
    remember(pastMigrations, migration);
  }

  private static <T> void remember(ArrayDeque<T> memory, T id) {
    memory.remove(id);
    memory.addLast(id);
    while (memory.size() > PAST) {
      memory.removeFirst();
    }
  }

  /** Rule 8: where the instance is now, computed from the state alone; null for nowhere. */
  @Nullable Placement active() {
    if (deleted || active == null) {
      return null;
    }
    if (latest == null) {
      return terminal(active.vmm()) ? null : active;
    }
    String outcome = outcome(latest.migrationId());
    if (outcome.equals("COMPLETED")) {
      return terminal(latest.targetVmmId())
          ? null
          : new Placement(
              latest.targetVmmId(), latest.targetSledId(), latest.targetSledUnderlayIp());
    }
    if (outcome.equals("FAILED")) {
      return terminal(active.vmm()) ? null : active;
    }
    if (terminal(active.vmm()) && terminal(latest.targetVmmId())) {
      return null; // open, but both VMMs are gone: nowhere, whichever outcome comes
    }
    return active; // open: the outcome decides, even if the source is gone
  }

  private String outcome(MigrationId migration) {
    String outcome = "OPEN";
    for (MigrationSide side : MigrationSide.values()) {
      Held held = sides.get(new Side(migration, side));
      if (held != null && held.state().equals(MigrationState.FAILED.name())) {
        return "FAILED";
      }
      if (held != null && held.state().equals(MigrationState.COMPLETED.name())) {
        outcome = "COMPLETED";
      }
    }
    return outcome;
  }

  private boolean terminal(VmmId vmm) {
    Held held = vmms.get(vmm);
    return held != null && held.terminal();
  }
}
