package dev.v2pledger.devstack.workload;

import dev.v2pledger.devstack.workload.World.Actor;
import dev.v2pledger.devstack.workload.World.Inst;
import dev.v2pledger.devstack.workload.World.Nic;
import dev.v2pledger.devstack.workload.World.Vmm;
import dev.v2pledger.schema.domain.EventPayload.InstanceDeleted;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.NicDetached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

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
 *
 * <p>This class chooses and runs the operations. The world's things are in {@link World}, VPCs, IPs
 * and MACs come from {@link Addresses}, events go out through {@link Publishers}, and ports and the
 * ground truth are kept by {@link GroundTruth}. Every random draw comes from one seeded {@link
 * Random}, so the order of the calls into those classes is part of what a seed means.
 */
public final class Generator {
  /** The share of failed migrations whose target fails after the source handed the guest over. */
  static final double LOST_AFTER_HANDOFF = 0.1;

  private final WorkloadConfig config;
  private final List<SledSpec> sleds;
  private final Random random;
  private final Ids ids;
  private final List<Step> steps = new ArrayList<>();
  private final List<Inst> live = new ArrayList<>();
  private final List<Actor> actors = new ArrayList<>();
  private final Addresses addresses;
  private final Publishers publishers;
  private final GroundTruth ground;
  private long created;
  private long starts;
  private long migrations;
  private long migrationsFailed;
  private long lostAfterHandoff;
  private long stops;
  private long crashes;
  private long deletes;
  private long nicsReplaced;

  private Generator(WorkloadConfig config, List<SledSpec> sleds) {
    if (sleds.size() != config.sleds()) {
      throw new IllegalArgumentException(
          "the workload is for " + config.sleds() + " sleds, got " + sleds.size());
    }
    this.config = config;
    this.sleds = List.copyOf(sleds);
    this.random = new Random(config.seed() ^ (config.epochBase() * 0x9E3779B97F4A7C15L));
    this.ids = new Ids(random);
    this.addresses = new Addresses(config, random, ids);
    this.publishers = new Publishers(config, random, ids, steps, this.sleds);
    this.ground = new GroundTruth(this.sleds, steps);
  }

  /** The whole workload of {@code config} on {@code sleds}. */
  public static Script generate(WorkloadConfig config, List<SledSpec> sleds) {
    return new Generator(config, sleds).run();
  }

  private Script run() {
    addresses.pickVpcs();
    ground.servicesPorts(addresses::nextMac);
    for (int i = 0; i < config.shape().instances(); i++) {
      spawn();
    }
    while (true) {
      while (actors.size() < config.shape().concurrency()
          && migrations < config.shape().migrations()) {
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
    publishers.flush();
    return new Script(
        sleds,
        steps,
        ground.truth(),
        finalLocations(),
        counts(),
        addresses.maxEpoch(),
        addresses.vpcs());
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
    publishers.maybeStale(actor);
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
    Inst inst = new Inst(new InstanceId(ids.next()), addresses.anyVpc());
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
    publishers.maybeStale(actor);
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
          ground.locate(inst, vmm, true);
          publishers.nexus(actor, new VmmPlaced(vmm.id, on.id(), on.underlay()));
        });
    actor.actions.add(() -> ground.createPorts(inst, sled));
    actor.actions.add(() -> publishers.report(actor, vmm, VmmState.STARTING));
    actor.actions.add(() -> publishers.report(actor, vmm, VmmState.RUNNING));
  }

  private void migrate(Actor actor) {
    Inst inst = actor.inst;
    Vmm source = Objects.requireNonNull(inst.active);
    int target = (source.sled + 1 + random.nextInt(sleds.size() - 1)) % sleds.size();
    Vmm dest = new Vmm(new VmmId(ids.next()), target);
    MigrationId migration = new MigrationId(ids.next());
    boolean fails = random.nextDouble() < config.shape().failureRate();
    // the source hands the guest over and reports COMPLETED, then the target fails (FAILED): the
    // migration failed (a failure on either side wins) and the instance runs nowhere
    boolean lost = fails && random.nextDouble() < LOST_AFTER_HANDOFF;
    boolean early = random.nextDouble() < 0.1; // a target report overtakes Nexus's event
    long targetBase = early ? 1 : 0;
    SledSpec to = sleds.get(target);
    boolean[] committed = {false};
    migrations++;
    actor.actions.add(
        () -> {
          if (early) {
            publishers.migrationReport(
                actor, dest, migration, MigrationSide.TARGET, MigrationState.PENDING, 1);
          }
          publishers.nexus(
              actor, new MigrationStarted(migration, source.id, dest.id, to.id(), to.underlay()));
          publishers.report(actor, source, VmmState.MIGRATING);
        });
    actor.actions.add(
        () -> {
          // the target VMM registers: XDE installs "VIP -> target"
          ground.createPorts(inst, target);
          publishers.report(actor, dest, VmmState.MIGRATING);
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
      MigrationState outcome =
          !fails || (lost && side == MigrationSide.SOURCE)
              ? MigrationState.COMPLETED
              : MigrationState.FAILED;
      terminal[i] =
          () -> {
            if (!committed[0]) { // Nexus learns the outcome, commits it, activates its task
              committed[0] = true;
              ground.commit(fails ? List.of() : ground.entries(inst, dest));
            }
            publishers.migrationReport(
                actor, side == MigrationSide.SOURCE ? source : dest, migration, side, outcome, gen);
          };
    }
    boolean firstWithTruth = random.nextDouble() < 0.8;
    actor.actions.add(
        () -> {
          if (lost) {
            migrationsFailed++;
            lostAfterHandoff++;
            inst.active = null; // the guest left the source and died on the target
            ground.unlocate(inst);
          } else if (fails) {
            migrationsFailed++;
          } else {
            inst.active = dest; // the guest now runs on the target
            ground.locate(inst, dest, false);
          }
          if (firstWithTruth) {
            terminal[0].run();
          }
        });
    List<Runnable> after = new ArrayList<>();
    for (MigrationSide side : sides) {
      long gen = (side == MigrationSide.TARGET ? targetBase : 0) + 1;
      Vmm on = side == MigrationSide.SOURCE ? source : dest;
      after.add(
          () ->
              publishers.migrationReport(
                  actor, on, migration, side, MigrationState.IN_PROGRESS, gen));
    }
    if (!firstWithTruth) {
      after.add(terminal[0]);
    }
    after.add(terminal[1]);
    if (lost) {
      after.add(() -> endVmm(actor, source, VmmState.DESTROYED));
      after.add(() -> endVmm(actor, dest, VmmState.FAILED));
    } else {
      Vmm loser = fails ? dest : source;
      Vmm winner = fails ? source : dest;
      after.add(() -> endVmm(actor, loser, VmmState.DESTROYED));
      after.add(() -> publishers.report(actor, winner, VmmState.RUNNING));
    }
    Collections.shuffle(after, random);
    actor.actions.addAll(after);
  }

  private void stop(Actor actor) {
    Vmm vmm = Objects.requireNonNull(actor.inst.active);
    actor.actions.add(() -> publishers.report(actor, vmm, VmmState.STOPPING));
    actor.actions.add(() -> publishers.report(actor, vmm, VmmState.STOPPED));
    end(actor, VmmState.DESTROYED, () -> stops++);
  }

  private void crash(Actor actor) {
    end(actor, VmmState.FAILED, () -> crashes++);
  }

  /** The active VMM ends in {@code last}: the instance runs nowhere, its ports are gone. */
  private void end(Actor actor, VmmState last, Runnable count) {
    Inst inst = actor.inst;
    Vmm vmm = Objects.requireNonNull(inst.active);
    actor.actions.add(
        () -> {
          count.run();
          inst.active = null;
          ground.unlocate(inst);
          endVmm(actor, vmm, last);
        });
  }

  /** {@code vmm} ends in {@code last}: XDE destroys its ports, its sled agent reports it. */
  private void endVmm(Actor actor, Vmm vmm, VmmState last) {
    ground.destroyPorts(actor.inst, vmm.sled);
    publishers.report(actor, vmm, last);
  }

  private void replaceNic(Actor actor) {
    Inst inst = actor.inst;
    actor.actions.add(
        () -> {
          Nic old = inst.nics.remove(random.nextInt(inst.nics.size()));
          addresses.release(old);
          publishers.nexus(actor, new NicDetached(old.id()));
          ground.commit(List.of()); // a NIC deleted: Nexus activates the task
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
          inst.nics.forEach(addresses::release);
          live.remove(inst);
          publishers.nexus(actor, new InstanceDeleted());
          ground.commit(List.of());
        });
    actor.actions.add(this::spawnLater);
  }

  /** Keeps the population: a deleted instance is replaced by a new one. */
  private void spawnLater() {
    if (live.size() < config.shape().instances()) {
      spawn();
    }
  }

  private void attachNic(Actor actor) {
    Inst inst = actor.inst;
    Nic nic = addresses.newNic(inst.vni);
    inst.nics.add(nic);
    publishers.nexus(
        actor, new NicAttached(nic.id(), nic.vni(), nic.mac(), nic.ips(), nic.epoch()));
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
        publishers.events(),
        created,
        starts,
        migrations,
        migrationsFailed,
        lostAfterHandoff,
        stops,
        crashes,
        deletes,
        nicsReplaced,
        addresses.ipReuses(),
        publishers.duplicates(),
        publishers.stale(),
        publishers.held(),
        publishers.redelivered(),
        ground.portOps());
  }
}
