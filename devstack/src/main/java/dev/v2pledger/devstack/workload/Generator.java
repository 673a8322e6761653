package dev.v2pledger.devstack.workload;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.devstack.workload.Step.CreatePort;
import dev.v2pledger.devstack.workload.Step.DestroyPort;
import dev.v2pledger.devstack.workload.Step.Publish;
import dev.v2pledger.devstack.workload.Step.Trigger;
import dev.v2pledger.devstack.workload.Step.Truth;
import dev.v2pledger.devstack.workload.Step.TruthChange;
import dev.v2pledger.schema.domain.EventId;
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
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Plays Nexus and the sled agents of a rack, seeded: instances get NICs (IPs from a counter-backed
 * epoch, released IPs reused by other instances), start on a sled (XDE creates their ports there),
 * migrate (the target's ports are created first; the migration succeeds or fails; both sides report
 * in random order with duplicates and stale generations; the losing VMM is destroyed with its
 * ports), stop, crash, swap NICs and are deleted. Operations on different instances interleave; the
 * world (where each instance really is) changes as the steps are emitted, so the script carries its
 * own ground truth. Every publisher (Nexus, each sled's agent) sends through its own outbox, which
 * now and then holds events back, so one publisher's events overtake another's and some are sent
 * again much later ({@link Outboxes}); Nexus' events carry the instance's generation.
 */
public final class Generator {
  private static final String NEXUS = "nexus";
  private static final int MIN_VNI = 1000;
  private static final int MAX_VNI = 16_000_000;

  private final WorkloadConfig config;
  private final List<SledSpec> sleds;
  private final Random random;
  private final Ids ids;
  private final List<Step> steps = new ArrayList<>();
  private final List<Inst> live = new ArrayList<>();
  private final Map<Vip, XdeMapping> truth = new HashMap<>();
  private final List<Vni> vpcs = new ArrayList<>();
  private final Map<Vni, Deque<IpAddr>> released = new HashMap<>();
  private final Map<Vni, int[]> nextHost = new HashMap<>();
  private final List<Actor> actors = new ArrayList<>();
  private final Outboxes outboxes;
  private long epoch;
  private long macs;
  private long events;
  private long created;
  private long starts;
  private long migrations;
  private long migrationsFailed;
  private long stops;
  private long crashes;
  private long deletes;
  private long nicsReplaced;
  private long ipReuses;
  private long duplicates;
  private long stale;
  private long portOps;

  /** An instance of the simulated world. */
  private static final class Inst {
    final InstanceId id;
    final Vni vni;
    final List<Nic> nics = new ArrayList<>();
    @Nullable Vmm active;
    boolean busy;
    long nexusGen;

    Inst(InstanceId id, Vni vni) {
      this.id = id;
      this.vni = vni;
    }

    List<Vip> vips() {
      List<Vip> out = new ArrayList<>();
      nics.forEach(nic -> nic.ips.forEach(ip -> out.add(new Vip(nic.vni, ip))));
      return out;
    }

    MacAddr macOf(Vip vip) {
      for (Nic nic : nics) {
        if (nic.vni.equals(vip.vni()) && nic.ips.contains(vip.ip())) {
          return nic.mac;
        }
      }
      throw new IllegalStateException(vip + " is not a VIP of " + id);
    }
  }

  /** A VMM of an instance, on a sled, with the generation of its reports. */
  private static final class Vmm {
    final VmmId id;
    final int sled;
    long gen;

    Vmm(VmmId id, int sled) {
      this.id = id;
      this.sled = sled;
    }
  }

  private record Nic(NicId id, Vni vni, MacAddr mac, List<IpAddr> ips, long epoch) {}

  /** An event as its publisher sent it. */
  private record Sent(String publisher, InstanceEvent event) {}

  /** One operation on one instance in flight: what is left of it, run one action at a time. */
  private static final class Actor {
    final Inst inst;
    final Deque<Runnable> actions = new ArrayDeque<>();
    final List<Sent> reports = new ArrayList<>();

    Actor(Inst inst) {
      this.inst = inst;
    }
  }

  private Generator(WorkloadConfig config, List<SledSpec> sleds) {
    if (sleds.size() != config.sleds()) {
      throw new IllegalArgumentException(
          "the workload is for " + config.sleds() + " sleds, got " + sleds.size());
    }
    this.config = config;
    this.sleds = List.copyOf(sleds);
    this.random = new Random(config.seed() ^ (config.epochBase() * 0x9E3779B97F4A7C15L));
    this.ids = new Ids(random);
    this.epoch = config.epochBase();
    this.outboxes = new Outboxes(random, config.reorderRate(), config.lateRate(), this::emit);
  }

  /** The whole workload of {@code config} on {@code sleds}. */
  public static Script generate(WorkloadConfig config, List<SledSpec> sleds) {
    return new Generator(config, sleds).run();
  }

  private Script run() {
    pickVpcs();
    servicesPorts();
    for (int i = 0; i < config.instances(); i++) {
      spawn();
    }
    while (true) {
      while (actors.size() < config.concurrency() && migrations < config.migrations()) {
        if (!startOperation()) {
          break;
        }
      }
      if (actors.isEmpty()) {
        break;
      }
      Actor actor = actors.get(random.nextInt(actors.size()));
      actor.actions.removeFirst().run();
      if (actor.actions.isEmpty()) {
        actors.remove(actor);
        actor.inst.busy = false;
      }
    }
    outboxes.flush();
    return new Script(sleds, steps, truth, finalLocations(), counts(), epoch, new HashSet<>(vpcs));
  }

  private void pickVpcs() {
    Set<Vni> taken = new HashSet<>(config.avoidVnis());
    taken.add(Vni.SERVICES);
    while (vpcs.size() < config.vpcs()) {
      Vni vni = new Vni(MIN_VNI + random.nextInt(MAX_VNI - MIN_VNI));
      if (taken.add(vni)) {
        vpcs.add(vni);
      }
    }
  }

  /** Each sled has a service zone's port in VNI 100, which nobody may touch. */
  private void servicesPorts() {
    for (SledSpec sled : sleds) {
      Vip vip = new Vip(Vni.SERVICES, Ipv4Addr.parse("172.31.255." + (1 + sled.index() % 250)));
      steps.add(new CreatePort(sled.index(), vip, nextMac()));
      portOps++;
    }
  }

  // ---------------------------------------------------------------- choosing operations

  /** Starts an operation on an idle instance; false when every instance is busy. */
  private boolean startOperation() {
    List<Inst> idle = new ArrayList<>();
    for (Inst inst : live) {
      if (!inst.busy) {
        idle.add(inst);
      }
    }
    if (idle.isEmpty()) {
      return false;
    }
    Inst inst = idle.get(random.nextInt(idle.size()));
    Actor actor = begin(inst);
    double r = random.nextDouble();
    if (inst.active != null) {
      if (r < 0.8) {
        migrate(actor);
      } else if (r < 0.92) {
        stop(actor);
      } else {
        crash(actor);
      }
    } else if (r < 0.6) {
      start(actor, random.nextInt(sleds.size()));
    } else if (r < 0.85) {
      replaceNic(actor);
    } else {
      delete(actor);
    }
    maybeStale(actor);
    return true;
  }

  private Actor begin(Inst inst) {
    Actor actor = new Actor(inst);
    inst.busy = true;
    actors.add(actor);
    return actor;
  }

  /** A new instance: NICs attached, then started on a random sled. */
  private void spawn() {
    Inst inst = new Inst(new InstanceId(ids.next()), vpcs.get(random.nextInt(vpcs.size())));
    live.add(inst);
    created++;
    Actor actor = begin(inst);
    int nics = random.nextDouble() < 0.8 ? 1 : 2;
    actor.actions.add(
        () -> {
          for (int i = 0; i < nics; i++) {
            attachNic(actor);
          }
        });
    start(actor, random.nextInt(sleds.size()));
    maybeStale(actor);
  }

  // ---------------------------------------------------------------- operations

  private void start(Actor actor, int sled) {
    Inst inst = actor.inst;
    Vmm vmm = new Vmm(new VmmId(ids.next()), sled);
    SledSpec on = sleds.get(sled);
    actor.actions.add(
        () -> {
          starts++;
          inst.active = vmm;
          locate(inst, vmm, true);
          publish(actor, NEXUS, new VmmPlaced(vmm.id, on.id(), on.underlay()));
        });
    actor.actions.add(() -> createPorts(inst, sled));
    actor.actions.add(() -> report(actor, vmm, VmmState.STARTING));
    actor.actions.add(() -> report(actor, vmm, VmmState.RUNNING));
  }

  private void migrate(Actor actor) {
    Inst inst = actor.inst;
    Vmm source = java.util.Objects.requireNonNull(inst.active);
    int target = (source.sled + 1 + random.nextInt(sleds.size() - 1)) % sleds.size();
    Vmm dest = new Vmm(new VmmId(ids.next()), target);
    MigrationId migration = new MigrationId(ids.next());
    boolean fails = random.nextDouble() < config.failureRate();
    MigrationState outcome = fails ? MigrationState.FAILED : MigrationState.COMPLETED;
    boolean early = random.nextDouble() < 0.1; // a target report overtakes Nexus's event
    long targetBase = early ? 1 : 0;
    SledSpec to = sleds.get(target);
    boolean[] committed = {false};
    migrations++;
    actor.actions.add(
        () -> {
          if (early) {
            migrationReport(
                actor, dest, migration, MigrationSide.TARGET, MigrationState.PENDING, 1);
          }
          publish(
              actor,
              NEXUS,
              new MigrationStarted(migration, source.id, dest.id, to.id(), to.underlay()));
          report(actor, source, VmmState.MIGRATING);
        });
    actor.actions.add(
        () -> {
          createPorts(inst, target); // the target VMM registers: XDE installs "VIP -> target"
          report(actor, dest, VmmState.MIGRATING);
        });
    List<MigrationSide> sides =
        new ArrayList<>(List.of(MigrationSide.SOURCE, MigrationSide.TARGET));
    Collections.shuffle(sides, random);
    // gens per side are fixed here: IN_PROGRESS, then the outcome; publishing them out of order
    // makes some stale
    Runnable[] terminal = new Runnable[2];
    for (int i = 0; i < 2; i++) {
      MigrationSide side = sides.get(i);
      long gen = (side == MigrationSide.TARGET ? targetBase : 0) + 2;
      terminal[i] =
          () -> {
            if (!committed[0]) { // Nexus learns the outcome, commits it, activates its task
              committed[0] = true;
              steps.add(new TruthChange(fails ? List.of() : entries(inst, dest), true));
            }
            migrationReport(
                actor, side == MigrationSide.SOURCE ? source : dest, migration, side, outcome, gen);
          };
    }
    boolean firstWithTruth = random.nextDouble() < 0.8;
    actor.actions.add(
        () -> {
          if (fails) {
            migrationsFailed++;
          } else {
            inst.active = dest; // the guest now runs on the target
            locate(inst, dest, false);
          }
          if (firstWithTruth) {
            terminal[0].run();
          }
        });
    List<Runnable> after = new ArrayList<>();
    for (MigrationSide side : sides) {
      long gen = (side == MigrationSide.TARGET ? targetBase : 0) + 1;
      Vmm on = side == MigrationSide.SOURCE ? source : dest;
      after.add(() -> migrationReport(actor, on, migration, side, MigrationState.IN_PROGRESS, gen));
    }
    if (!firstWithTruth) {
      after.add(terminal[0]);
    }
    after.add(terminal[1]);
    Vmm loser = fails ? dest : source;
    Vmm winner = fails ? source : dest;
    after.add(
        () -> {
          destroyPorts(inst, loser.sled);
          report(actor, loser, VmmState.DESTROYED);
        });
    after.add(() -> report(actor, winner, VmmState.RUNNING));
    Collections.shuffle(after, random);
    actor.actions.addAll(after);
  }

  private void stop(Actor actor) {
    Inst inst = actor.inst;
    Vmm vmm = java.util.Objects.requireNonNull(inst.active);
    actor.actions.add(() -> report(actor, vmm, VmmState.STOPPING));
    actor.actions.add(() -> report(actor, vmm, VmmState.STOPPED));
    actor.actions.add(
        () -> {
          stops++;
          inst.active = null;
          unlocate(inst);
          destroyPorts(inst, vmm.sled);
          report(actor, vmm, VmmState.DESTROYED);
        });
  }

  private void crash(Actor actor) {
    Inst inst = actor.inst;
    Vmm vmm = java.util.Objects.requireNonNull(inst.active);
    actor.actions.add(
        () -> {
          crashes++;
          inst.active = null;
          unlocate(inst);
          destroyPorts(inst, vmm.sled);
          report(actor, vmm, VmmState.FAILED);
        });
  }

  private void replaceNic(Actor actor) {
    Inst inst = actor.inst;
    actor.actions.add(
        () -> {
          Nic old = inst.nics.remove(random.nextInt(inst.nics.size()));
          release(old);
          publish(actor, NEXUS, new NicDetached(old.id));
          steps.add(new TruthChange(List.of(), true)); // a NIC deleted: Nexus activates the task
        });
    actor.actions.add(
        () -> {
          nicsReplaced++;
          attachNic(actor);
        });
  }

  private void delete(Actor actor) {
    Inst inst = actor.inst;
    actor.actions.add(
        () -> {
          deletes++;
          inst.nics.forEach(this::release);
          live.remove(inst);
          publish(actor, NEXUS, new InstanceDeleted());
          steps.add(new TruthChange(List.of(), true));
        });
    actor.actions.add(this::spawnLater);
  }

  /** Keeps the population: a deleted instance is replaced by a new one. */
  private void spawnLater() {
    if (live.size() < config.instances()) {
      spawn();
    }
  }

  // ---------------------------------------------------------------- steps

  private void attachNic(Actor actor) {
    Inst inst = actor.inst;
    int count = random.nextDouble() < 0.75 ? 1 : 2;
    List<IpAddr> ips = new ArrayList<>();
    while (ips.size() < count) {
      IpAddr ip = allocate(inst.vni);
      if (!ips.contains(ip)) {
        ips.add(ip);
      }
    }
    Nic nic = new Nic(new NicId(ids.next()), inst.vni, nextMac(), List.copyOf(ips), ++epoch);
    inst.nics.add(nic);
    publish(actor, NEXUS, new NicAttached(nic.id, nic.vni, nic.mac, nic.ips, nic.epoch));
  }

  private IpAddr allocate(Vni vni) {
    Deque<IpAddr> pool = released.get(vni);
    if (pool != null && !pool.isEmpty() && random.nextDouble() < config.reuseRate()) {
      ipReuses++;
      return pool.removeFirst();
    }
    int[] next = nextHost.computeIfAbsent(vni, v -> new int[2]);
    if (random.nextDouble() < 0.2) {
      return Ipv6Addr.parse("fd77::" + Integer.toHexString(++next[1]));
    }
    int host = next[0]++;
    return Ipv4Addr.parse("172.30." + (host / 250) % 256 + "." + (2 + host % 250));
  }

  private void release(Nic nic) {
    released.computeIfAbsent(nic.vni, v -> new ArrayDeque<>()).addAll(nic.ips);
  }

  private MacAddr nextMac() {
    return new MacAddr(0xA84025F00000L + (macs++ % 0xEFFFFL));
  }

  private void createPorts(Inst inst, int sled) {
    for (Vip vip : inst.vips()) {
      steps.add(new CreatePort(sled, vip, inst.macOf(vip)));
      portOps++;
    }
    steps.add(new Trigger(sled));
  }

  private void destroyPorts(Inst inst, int sled) {
    for (Vip vip : inst.vips()) {
      steps.add(new DestroyPort(sled, vip));
      portOps++;
    }
    steps.add(new Trigger(sled));
  }

  /**
   * The instance now really runs on {@code vmm}'s sled; Nexus commits it now, or later with the
   * same entries (a migration's outcome is committed when Nexus hears of it).
   */
  private void locate(Inst inst, Vmm vmm, boolean committed) {
    List<Truth> entries = entries(inst, vmm);
    entries.forEach(entry -> truth.put(entry.vip(), entry.expected()));
    steps.add(new TruthChange(entries, committed));
  }

  private List<Truth> entries(Inst inst, Vmm vmm) {
    List<Truth> entries = new ArrayList<>();
    SledSpec on = sleds.get(vmm.sled);
    for (Vip vip : inst.vips()) {
      entries.add(new Truth(vip, new XdeMapping(vip, inst.macOf(vip), on.underlay())));
    }
    return entries;
  }

  /** The instance no longer runs anywhere. */
  private void unlocate(Inst inst) {
    List<Truth> entries = new ArrayList<>();
    for (Vip vip : inst.vips()) {
      truth.remove(vip);
      entries.add(new Truth(vip, null));
    }
    steps.add(new TruthChange(entries, true));
  }

  private void report(Actor actor, Vmm vmm, VmmState state) {
    publish(actor, agent(vmm.sled), new VmmReported(vmm.id, state, ++vmm.gen));
  }

  /** The sled agent of {@code vmm}'s sled reports one side of a migration. */
  private void migrationReport(
      Actor actor,
      Vmm vmm,
      MigrationId migration,
      MigrationSide side,
      MigrationState state,
      long gen) {
    publish(actor, agent(vmm.sled), new MigrationReported(migration, side, state, gen));
  }

  private static String agent(int sled) {
    return "sled-agent/" + sled;
  }

  /**
   * {@code publisher} sends a fact about the actor's instance through its outbox: Nexus' events
   * carry the instance's next generation. Now and then it sends the same event twice, at once or at
   * the end of the operation.
   */
  private void publish(Actor actor, String publisher, EventPayload payload) {
    InstanceEvent event =
        new InstanceEvent(new EventId(ids.next()), actor.inst.id, null, publisher, payload);
    if (NEXUS.equals(publisher)) {
      event = event.withInstanceGen(++actor.inst.nexusGen);
    }
    Sent sent = new Sent(publisher, event);
    outboxes.send(publisher, event);
    if (payload instanceof VmmReported || payload instanceof MigrationReported) {
      actor.reports.add(sent);
    }
    double r = random.nextDouble();
    if (r < config.duplicateRate() / 2) {
      duplicates++;
      outboxes.send(publisher, event);
    } else if (r < config.duplicateRate()) {
      actor.actions.addLast(
          () -> {
            duplicates++;
            outboxes.send(sent.publisher(), sent.event());
          });
    }
  }

  private void emit(InstanceEvent event) {
    steps.add(new Publish(event));
    events++;
  }

  /** Sometimes an operation ends with one of its reports sent again: stale or a duplicate. */
  private void maybeStale(Actor actor) {
    if (random.nextDouble() < config.staleRate()) {
      actor.actions.addLast(
          () -> {
            if (!actor.reports.isEmpty()) {
              stale++;
              Sent again = actor.reports.get(random.nextInt(actor.reports.size()));
              outboxes.send(again.publisher(), again.event());
            }
          });
    }
  }

  private Map<InstanceId, Integer> finalLocations() {
    Map<InstanceId, Integer> out = new LinkedHashMap<>();
    for (Inst inst : live) {
      if (inst.active != null) {
        out.put(inst.id, inst.active.sled);
      }
    }
    return out;
  }

  private Script.Counts counts() {
    return new Script.Counts(
        events,
        created,
        starts,
        migrations,
        migrationsFailed,
        stops,
        crashes,
        deletes,
        nicsReplaced,
        ipReuses,
        duplicates,
        stale,
        outboxes.held(),
        outboxes.redelivered(),
        portOps);
  }
}
