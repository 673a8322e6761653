package dev.v2pledger.projector.testing;

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
import dev.v2pledger.schema.domain.Ipv4Addr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.domain.Vni;
import dev.v2pledger.schema.testing.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A seeded, rack-like stream of events over many instances, in log order: instances get NICs from a
 * small shared pool of addresses (so a released IP is soon re-allocated to another instance, at a
 * higher epoch), start, live-migrate (both sides report with their own generations; most migrations
 * complete, some fail; the losing VMM is destroyed afterwards), stop, lose or re-announce NICs and
 * get deleted. Noise on top: exact duplicates, stale reports, reports that arrive before their
 * migration starts.
 */
public final class Workload {
  private final Random random;
  private final List<Actor> live = new ArrayList<>();
  private final List<IpAddr> freeIps = new ArrayList<>();
  private final Vni vni = new Vni(7777);
  private final int sleds;
  private final String context;
  private long nextEpoch = 1;
  private int nextId = 1;

  /**
   * @param seed the seed: the same seed gives the same events
   * @param ips size of the shared address pool (small means much reuse)
   * @param sleds number of sleds
   */
  public Workload(long seed, int ips, int sleds) {
    this(seed, ips, sleds, Seeds.replay(seed));
  }

  private Workload(long seed, int ips, int sleds, String context) {
    this.random = new Random(seed);
    this.sleds = sleds;
    this.context = context;
    for (int i = 0; i < ips; i++) {
      freeIps.add(
          i % 3 == 2
              ? new Ipv6Addr(0xfd77_0000_0000_0000L, 0x100 + i)
              : new Ipv4Addr(0xac1e0000 + i));
    }
  }

  /**
   * A workload for {@code test} on the seed {@link Seeds#pick} picks for it (a new one each run,
   * printed, or the one given with {@code -Dv2p.seed=N}).
   */
  public static Workload seeded(String test, int ips, int sleds) {
    long seed = Seeds.pick(test);
    return new Workload(seed, ips, sleds, Seeds.context(test, seed));
  }

  /** What failure messages say: the test and its seed, and how to replay it. */
  public String context() {
    return context;
  }

  /** The next {@code count} events, with about {@code liveInstances} instances alive at a time. */
  public List<InstanceEvent> next(int count, int liveInstances) {
    List<InstanceEvent> out = new ArrayList<>(count);
    while (out.size() < count) {
      while (live.size() < liveInstances) {
        live.add(new Actor(new InstanceId(uuid(0x1, nextId++))));
      }
      Actor actor = live.get(random.nextInt(live.size()));
      InstanceEvent event = actor.next();
      if (event != null) {
        out.add(event);
        actor.history.add(event);
      }
      if (actor.deleted) {
        live.remove(actor);
      }
    }
    return out;
  }

  private static UUID uuid(int kind, long n) {
    return new UUID(0x0000_0000_0000_4000L | ((long) kind << 48), 0x8000_0000_0000_0000L | n);
  }

  private SledId sled(int n) {
    return new SledId(uuid(0x2, n));
  }

  private Ipv6Addr underlay(int n) {
    return new Ipv6Addr(0xfd00_1122_3344_0100L + n, 1);
  }

  private int newId() {
    return nextId++;
  }

  /** One instance, as its control plane and sled agents see it. */
  private final class Actor {
    final InstanceId id;
    final List<InstanceEvent> history = new ArrayList<>();
    final Map<VmmId, Long> vmmGens = new HashMap<>();
    final List<InstanceEvent> followUps = new ArrayList<>();
    NicAttached nic;
    VmmId active;
    int activeSled;
    Migration migration;
    boolean deleted;

    Actor(InstanceId id) {
      this.id = id;
    }

    InstanceEvent next() {
      int dice = random.nextInt(100);
      if (dice < 4 && !history.isEmpty()) {
        return history.get(random.nextInt(history.size())); // an exact duplicate
      }
      if (dice < 7) {
        InstanceEvent stale = stale();
        if (stale != null) {
          return stale;
        }
      }
      if (!followUps.isEmpty() && random.nextInt(3) == 0) {
        return followUps.remove(0);
      }
      if (nic == null) {
        return attach();
      }
      if (migration != null) {
        return migration.report();
      }
      if (active == null) {
        return random.nextInt(10) == 0 ? delete() : place();
      }
      int choice = random.nextInt(100);
      if (choice < 30) {
        return report(active, VmmState.RUNNING);
      }
      if (choice < 60) {
        return migrate();
      }
      if (choice < 70) {
        return reannounce();
      }
      if (choice < 76) {
        return detach();
      }
      if (choice < 88) {
        InstanceEvent stop =
            report(active, random.nextBoolean() ? VmmState.DESTROYED : VmmState.FAILED);
        active = null;
        return stop;
      }
      return delete();
    }

    private InstanceEvent event(EventPayload payload) {
      return InstanceEvent.of(id, payload);
    }

    private InstanceEvent attach() {
      List<IpAddr> ips = take(1 + random.nextInt(2));
      if (ips.isEmpty()) {
        return null;
      }
      nic =
          new NicAttached(
              new NicId(uuid(0x4, newId())),
              vni,
              new MacAddr(0xa84025000000L + newId()),
              ips,
              nextEpoch++);
      return event(nic);
    }

    /** The same NIC announced again: one IP fewer (released), or one more at a new epoch. */
    private InstanceEvent reannounce() {
      List<IpAddr> ips = new ArrayList<>(nic.ips());
      long epoch = nic.ipEpoch();
      if (ips.size() > 1 && random.nextBoolean()) {
        freeIps.add(ips.remove(ips.size() - 1));
      } else {
        List<IpAddr> more = take(1);
        if (more.isEmpty()) {
          return report(active, VmmState.RUNNING);
        }
        ips.addAll(more);
        epoch = nextEpoch++; // a new allocation: the NIC's pairs move to a new epoch
      }
      nic = new NicAttached(nic.nicId(), vni, nic.mac(), ips, epoch);
      return event(nic);
    }

    private InstanceEvent detach() {
      NicDetached detached = new NicDetached(nic.nicId());
      freeIps.addAll(nic.ips());
      nic = null;
      return event(detached);
    }

    private InstanceEvent delete() {
      if (nic != null) {
        freeIps.addAll(nic.ips());
      }
      deleted = true;
      return event(new InstanceDeleted());
    }

    private InstanceEvent place() {
      active = new VmmId(uuid(0x3, newId()));
      activeSled = random.nextInt(sleds);
      return event(new VmmPlaced(active, sled(activeSled), underlay(activeSled)));
    }

    private InstanceEvent report(VmmId vmm, VmmState state) {
      long gen = vmmGens.merge(vmm, 1L + random.nextInt(2), Long::sum);
      return event(new VmmReported(vmm, state, gen));
    }

    private InstanceEvent migrate() {
      int target = (activeSled + 1 + random.nextInt(sleds - 1)) % sleds;
      migration =
          new Migration(
              new MigrationId(uuid(0x5, newId())),
              active,
              new VmmId(uuid(0x3, newId())),
              target,
              random.nextInt(10) < 7);
      MigrationStarted started =
          new MigrationStarted(
              migration.id, active, migration.target, sled(target), underlay(target));
      if (random.nextInt(8) == 0) {
        // a sled agent's report that overtakes Nexus's MigrationStarted: buffered by the fold
        followUps.add(0, event(started));
        return event(
            new MigrationReported(
                migration.id, MigrationSide.TARGET, MigrationState.PENDING, ++migration.targetGen));
      }
      return event(started);
    }

    private InstanceEvent stale() {
      if (migration != null && migration.sourceGen > 1) {
        return event(
            new MigrationReported(
                migration.id, MigrationSide.SOURCE, MigrationState.IN_PROGRESS, 1));
      }
      if (active != null && vmmGens.getOrDefault(active, 0L) > 1) {
        return event(new VmmReported(active, VmmState.RUNNING, 1));
      }
      return null;
    }

    private List<IpAddr> take(int count) {
      List<IpAddr> out = new ArrayList<>();
      for (int i = 0; i < count && !freeIps.isEmpty(); i++) {
        out.add(freeIps.remove(random.nextInt(freeIps.size())));
      }
      return out;
    }

    /** A live migration, reported by both sides until both said how it ended. */
    private final class Migration {
      final MigrationId id;
      final VmmId source;
      final VmmId target;
      final int targetSled;
      final boolean completes;
      long sourceGen;
      long targetGen;
      boolean sourceDone;
      boolean targetDone;

      Migration(MigrationId id, VmmId source, VmmId target, int targetSled, boolean completes) {
        this.id = id;
        this.source = source;
        this.target = target;
        this.targetSled = targetSled;
        this.completes = completes;
      }

      InstanceEvent report() {
        boolean sourceSide = sourceDone ? false : targetDone || random.nextBoolean();
        boolean terminal = random.nextInt(3) == 0;
        MigrationState state =
            !terminal
                ? (random.nextBoolean() ? MigrationState.PENDING : MigrationState.IN_PROGRESS)
                : completes ? MigrationState.COMPLETED : MigrationState.FAILED;
        long gen;
        if (sourceSide) {
          gen = sourceGen += 1 + random.nextInt(2);
          sourceDone |= terminal;
        } else {
          gen = targetGen += 1 + random.nextInt(2);
          targetDone |= terminal;
        }
        if (sourceDone && targetDone) {
          resolved();
        }
        return event(
            new MigrationReported(
                id, sourceSide ? MigrationSide.SOURCE : MigrationSide.TARGET, state, gen));
      }

      private void resolved() {
        migration = null;
        if (completes) {
          active = target;
          activeSled = targetSled;
          followUps.add(Actor.this.report(source, VmmState.DESTROYED)); // the source port goes away
        } else {
          followUps.add(Actor.this.report(target, VmmState.DESTROYED)); // the target port goes away
        }
      }
    }
  }
}
