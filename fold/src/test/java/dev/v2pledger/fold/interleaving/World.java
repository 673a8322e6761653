package dev.v2pledger.fold.interleaving;

import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPayload.InstanceDeleted;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.NicDetached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.EventPayload.VmmReported;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A rack in which things really happen, in causal order, and the events its publishers send about
 * them. Nexus publishes NIC changes, placements, migration starts and deletions (with its instance
 * generation, unless the instance is {@code legacy}); the agent of each sled publishes the reports
 * of the VMMs on its sled, as a real sled agent does: a migration's side state before the VMM's
 * state that follows from it. Each publisher's events of one instance form one stream, in its own
 * order; nothing orders the streams against each other.
 *
 * <p>The truth is kept apart from the events: where each instance really runs (or that it runs
 * nowhere), which NICs it has, whether it is deleted. That is the causal outcome every interleaving
 * of the streams must fold to; it is computed here, by this simple model, never by the fold.
 */
final class World {
  static final int SLEDS = 4;
  static final String NEXUS = "nexus";

  /** How a migration ends: both sides agree, or one VMM dies while it runs. */
  enum Outcome {
    COMPLETED,
    FAILED,
    SOURCE_DIES,
    TARGET_DIES,
    /**
     * The source hands over (COMPLETED) and is destroyed, then the target fails: runs nowhere. Its
     * sled agent reports the migration FAILED; a terse one never reports the VMM's own end, so only
     * "a failure on either side wins" says the instance is gone.
     */
    LOST_AFTER_HANDOFF
  }

  private final String name;
  private final boolean terse;
  private final List<Instance> instances = new ArrayList<>();
  private long epochs;
  private long ids;

  /**
   * A world whose histories are named {@code name}; {@code terse} sled agents send only the reports
   * that change something (no PENDING/IN_PROGRESS/MIGRATING/STARTING), which keeps exhaustive
   * exploration small.
   */
  World(String name, boolean terse) {
    this.name = name;
    this.terse = terse;
  }

  Instance instance() {
    return instance(false);
  }

  /** A new instance; a {@code legacy} one's Nexus events carry no {@code instance_gen}. */
  Instance instance(boolean legacy) {
    Instance instance = new Instance(new InstanceId(uuid(0x1)), legacy);
    instances.add(instance);
    return instance;
  }

  /** The history as it stands: every instance's streams and the truth at the end. */
  History history() {
    List<History.InstanceHistory> out = new ArrayList<>();
    for (Instance instance : instances) {
      out.add(instance.history());
    }
    return new History(name, out);
  }

  static SledId sled(int index) {
    return SledId.parse(String.format("51ed0000-0000-4000-8000-%012d", index));
  }

  static Ipv6Addr underlay(int sled) {
    return Ipv6Addr.parse("fd00:1122:3344:1" + String.format("%02d", sled) + "::1");
  }

  private UUID uuid(long kind) {
    return new UUID((kind << 48) | 0x4000, 0x8000_0000_0000_0000L | ++ids);
  }

  /** One instance: the operations that happen to it, as the world and its publishers see them. */
  final class Instance {
    final InstanceId id;
    private boolean legacy;
    private final Map<String, List<InstanceEvent>> streams = new LinkedHashMap<>();
    private final Map<NicId, NicAttached> nics = new LinkedHashMap<>();
    private final Map<VmmId, Long> vmmGens = new LinkedHashMap<>();
    private long instanceGen;
    private @Nullable VmmId running;
    private int runningSled = -1;
    private boolean deleted;

    private Instance(InstanceId id, boolean legacy) {
      this.id = id;
      this.legacy = legacy;
    }

    /** Nexus attaches a NIC with these IPs (a new allocation: a new epoch). */
    Instance attach(String... ips) {
      NicId nic = new NicId(uuid(0x2));
      return attach(nic, ips);
    }

    /** Nexus re-announces the first NIC with these IPs, allocated anew (a higher epoch). */
    Instance replaceNic(String... ips) {
      return attach(nics.keySet().iterator().next(), ips);
    }

    private Instance attach(NicId nic, String... ips) {
      List<IpAddr> addrs = new ArrayList<>();
      for (String ip : ips) {
        addrs.add(IpAddr.parse(ip));
      }
      MacAddr mac = new MacAddr(0xA84025000000L + ids);
      NicAttached attached = new NicAttached(nic, new Vni(7777), mac, addrs, ++epochs);
      nics.put(nic, attached);
      return nexus(attached);
    }

    /**
     * Nexus releases {@code ip} from the first NIC: it re-announces the NIC at its epoch without
     * that IP (the rest keep their allocation).
     */
    Instance release(String ip) {
      NicAttached held = nics.values().iterator().next();
      List<IpAddr> kept = new ArrayList<>(held.ips());
      kept.remove(IpAddr.parse(ip));
      NicAttached released =
          new NicAttached(held.nicId(), held.vni(), held.mac(), kept, held.ipEpoch());
      nics.put(held.nicId(), released);
      return nexus(released);
    }

    /** Nexus detaches the first NIC. */
    Instance detach() {
      NicId nic = nics.keySet().iterator().next();
      nics.remove(nic);
      return nexus(new NicDetached(nic));
    }

    /** Nexus starts the instance in a new VMM on {@code sled}, which boots and runs. */
    Instance start(int sled) {
      VmmId vmm = new VmmId(uuid(0x3));
      nexus(new VmmPlaced(vmm, sled(sled), underlay(sled)));
      if (!terse) {
        vmm(sled, vmm, VmmState.STARTING);
      }
      vmm(sled, vmm, VmmState.RUNNING);
      running = vmm;
      runningSled = sled;
      return this;
    }

    /** Nexus migrates the running instance to a new VMM on {@code sled}; it ends as {@code how}. */
    Instance migrate(int sled, Outcome how) {
      VmmId source = requireRunning();
      int from = runningSled;
      VmmId target = new VmmId(uuid(0x4));
      MigrationId migration = new MigrationId(uuid(0x5));
      nexus(new MigrationStarted(migration, source, target, sled(sled), underlay(sled)));
      if (!terse) {
        vmm(sled, target, VmmState.MIGRATING);
        side(sled, migration, MigrationSide.TARGET, MigrationState.IN_PROGRESS, 1);
        side(from, migration, MigrationSide.SOURCE, MigrationState.IN_PROGRESS, 1);
        vmm(from, source, VmmState.MIGRATING);
      }
      switch (how) {
        case COMPLETED -> {
          side(sled, migration, MigrationSide.TARGET, MigrationState.COMPLETED, 2);
          vmm(sled, target, VmmState.RUNNING);
          side(from, migration, MigrationSide.SOURCE, MigrationState.COMPLETED, 2);
          vmm(from, source, VmmState.DESTROYED);
          running = target;
          runningSled = sled;
        }
        case FAILED -> {
          side(sled, migration, MigrationSide.TARGET, MigrationState.FAILED, 2);
          vmm(sled, target, VmmState.DESTROYED);
          side(from, migration, MigrationSide.SOURCE, MigrationState.FAILED, 2);
          if (!terse) {
            vmm(from, source, VmmState.RUNNING);
          }
        }
        case SOURCE_DIES -> {
          vmm(from, source, VmmState.FAILED);
          side(from, migration, MigrationSide.SOURCE, MigrationState.FAILED, 2);
          side(sled, migration, MigrationSide.TARGET, MigrationState.FAILED, 2);
          vmm(sled, target, VmmState.DESTROYED);
          running = null;
          runningSled = -1;
        }
        case TARGET_DIES -> {
          vmm(sled, target, VmmState.FAILED);
          side(sled, migration, MigrationSide.TARGET, MigrationState.FAILED, 2);
          side(from, migration, MigrationSide.SOURCE, MigrationState.FAILED, 2);
          if (!terse) {
            vmm(from, source, VmmState.RUNNING);
          }
        }
        case LOST_AFTER_HANDOFF -> {
          side(from, migration, MigrationSide.SOURCE, MigrationState.COMPLETED, 2);
          vmm(from, source, VmmState.DESTROYED);
          side(sled, migration, MigrationSide.TARGET, MigrationState.FAILED, 2);
          if (!terse) {
            vmm(sled, target, VmmState.FAILED);
          }
          running = null;
          runningSled = -1;
        }
      }
      return this;
    }

    /**
     * Nexus starts a migration to {@code sled} and gives up on it before the source hears of it
     * (the saga unwinds): no side reports; the target VMM was created and is destroyed. The
     * instance keeps running in its source. (A target no sled agent ever reports is DESIGN rule 8's
     * documented limit: a stop after it leaves the pairs SET.)
     */
    Instance abandonMigration(int sled) {
      VmmId source = requireRunning();
      VmmId target = new VmmId(uuid(0x4));
      MigrationId migration = new MigrationId(uuid(0x5));
      nexus(new MigrationStarted(migration, source, target, sled(sled), underlay(sled)));
      if (!terse) {
        vmm(sled, target, VmmState.MIGRATING);
      }
      vmm(sled, target, VmmState.DESTROYED);
      return this;
    }

    /** Nexus is upgraded: its events of this instance carry {@code instance_gen} from now on. */
    Instance upgrade() {
      legacy = false;
      return this;
    }

    /** The guest shuts down; its VMM is destroyed. */
    Instance stop() {
      VmmId vmm = requireRunning();
      if (!terse) {
        vmm(runningSled, vmm, VmmState.STOPPING);
        vmm(runningSled, vmm, VmmState.STOPPED);
      }
      vmm(runningSled, vmm, VmmState.DESTROYED);
      running = null;
      runningSled = -1;
      return this;
    }

    /** The VMM crashes. */
    Instance crash() {
      VmmId vmm = requireRunning();
      vmm(runningSled, vmm, VmmState.FAILED);
      running = null;
      runningSled = -1;
      return this;
    }

    /** Nexus deletes the instance. */
    Instance delete() {
      deleted = true;
      return nexus(new InstanceDeleted());
    }

    boolean isRunning() {
      return running != null;
    }

    boolean isDeleted() {
      return deleted;
    }

    boolean hasNic() {
      return !nics.isEmpty();
    }

    int sledOf() {
      return runningSled;
    }

    private VmmId requireRunning() {
      if (running == null) {
        throw new IllegalStateException("instance " + id + " is not running");
      }
      return running;
    }

    private Instance nexus(EventPayload payload) {
      InstanceEvent event = InstanceEvent.of(id, payload);
      publish(NEXUS, legacy ? event : event.withInstanceGen(++instanceGen));
      return this;
    }

    private void vmm(int sled, VmmId vmm, VmmState state) {
      long gen = vmmGens.merge(vmm, 1L, Long::sum);
      publish(agent(sled), InstanceEvent.of(id, new VmmReported(vmm, state, gen)));
    }

    private void side(
        int sled, MigrationId migration, MigrationSide side, MigrationState state, long gen) {
      publish(
          agent(sled), InstanceEvent.of(id, new MigrationReported(migration, side, state, gen)));
    }

    private void publish(String publisher, InstanceEvent event) {
      streams.computeIfAbsent(publisher, p -> new ArrayList<>()).add(event);
    }

    private History.InstanceHistory history() {
      Map<MappingKey, V2PTarget> expected = new LinkedHashMap<>();
      if (!deleted && running != null) {
        for (NicAttached nic : nics.values()) {
          V2PTarget target = new V2PTarget(nic.mac(), underlay(runningSled), sled(runningSled));
          for (IpAddr ip : nic.ips()) {
            expected.put(new MappingKey(nic.vni(), ip, nic.ipEpoch()), target);
          }
        }
      }
      Map<String, List<InstanceEvent>> copy = new LinkedHashMap<>();
      streams.forEach((publisher, events) -> copy.put(publisher, List.copyOf(events)));
      return new History.InstanceHistory(id, copy, expected);
    }
  }

  static String agent(int sled) {
    return "sled-agent/" + sled;
  }
}
