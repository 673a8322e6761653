package dev.v2pledger.fold.interleaving;

import dev.v2pledger.fold.interleaving.World.Instance;
import dev.v2pledger.fold.interleaving.World.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Causal histories to check: a catalog of the rack's stories (migrations that succeed, fail, are
 * retried or are given up by Nexus, VMMs dying on either side, stops, restarts, NIC changes and
 * deletes mid-migration, instances with two NICs, an IP detached and attached again, IP reuse
 * across instances, publishers older than {@code instance_gen}, alone or upgraded mid-history), and
 * seeded random ones composed from the same operations.
 */
final class Histories {
  private Histories() {}

  /** The catalog; {@code terse} sled agents send only the reports that change something. */
  static List<History> catalog(boolean terse) {
    Catalog catalog = new Catalog(terse);
    catalog.running("migration completes", i -> i.migrate(1, Outcome.COMPLETED));
    catalog.running("migration fails", i -> i.migrate(1, Outcome.FAILED));
    catalog.running(
        "migration fails, retried, completes",
        i -> i.migrate(1, Outcome.FAILED).migrate(2, Outcome.COMPLETED));
    catalog.running(
        "two migrations complete",
        i -> i.migrate(1, Outcome.COMPLETED).migrate(2, Outcome.COMPLETED));
    catalog.running("source VMM dies mid-migration", i -> i.migrate(1, Outcome.SOURCE_DIES));
    catalog.running("target VMM dies mid-migration", i -> i.migrate(1, Outcome.TARGET_DIES));
    catalog.running(
        "target fails after the hand-off", i -> i.migrate(1, Outcome.LOST_AFTER_HANDOFF));
    catalog.running(
        "target fails after the hand-off, restarted elsewhere",
        i -> i.migrate(1, Outcome.LOST_AFTER_HANDOFF).start(2));
    catalog.running(
        "source dies, restarted elsewhere", i -> i.migrate(1, Outcome.SOURCE_DIES).start(2));
    catalog.running(
        "migration abandoned after its target was created, retried, completes",
        i -> i.abandonMigration(1).migrate(2, Outcome.COMPLETED));
    catalog.running(
        "migration abandoned after its target was created, then stop",
        i -> i.abandonMigration(1).stop());
    catalog.running("stop and restart elsewhere", i -> i.stop().start(1));
    catalog.running("crash and restart", i -> i.crash().start(0));
    catalog.running("migration completes, then stop", i -> i.migrate(1, Outcome.COMPLETED).stop());
    catalog.running(
        "migration completes, target crashes, restart",
        i -> i.migrate(1, Outcome.COMPLETED).crash().start(2));
    catalog.running(
        "NIC replaced mid-migration", i -> i.migrate(1, Outcome.COMPLETED).replaceNic("10.0.0.2"));
    catalog.running("NIC detached and attached while running", i -> i.detach().attach("10.0.0.3"));
    catalog.running(
        "NIC detached and its IP attached again while running", i -> i.detach().attach("10.0.0.1"));
    catalog.running(
        "migration to a sled and back",
        i -> i.migrate(1, Outcome.COMPLETED).migrate(0, Outcome.COMPLETED));
    catalog.add( // the fold's multi-NIC write path (one desired table per NIC) under a move
        "two NICs: migration completes, the next fails",
        i ->
            i.attach("10.0.0.1")
                .attach("10.0.0.2", "10.0.0.3")
                .start(0)
                .migrate(1, Outcome.COMPLETED)
                .migrate(2, Outcome.FAILED));
    catalog.add(
        "two NICs: one replaced mid-migration, then the other detached",
        i ->
            i.attach("10.0.0.1")
                .attach("10.0.0.2")
                .start(0)
                .migrate(1, Outcome.COMPLETED)
                .replaceNic("10.0.0.4")
                .detach());
    catalog.running("deleted mid-migration", i -> i.migrate(1, Outcome.COMPLETED).delete());
    catalog.running("stopped and deleted", i -> i.stop().delete());
    catalog.running(
        "three migrations: completed, failed, completed",
        i ->
            i.migrate(1, Outcome.COMPLETED)
                .migrate(2, Outcome.FAILED)
                .migrate(3, Outcome.COMPLETED));
    List<History> out = catalog.histories;
    World legacy = new World("legacy publisher: migration completes, then stop and restart", terse);
    legacy.instance(true).attach("10.0.0.1").start(0).migrate(1, Outcome.COMPLETED).stop().start(2);
    out.add(legacy.history());
    World upgraded = new World("legacy publisher upgraded mid-history", terse);
    upgraded
        .instance(true)
        .attach("10.0.0.1")
        .start(0)
        .migrate(1, Outcome.FAILED)
        .upgrade()
        .migrate(2, Outcome.COMPLETED)
        .stop()
        .start(3);
    out.add(upgraded.history());
    World reuse = new World("IP reused by another instance after a detach", terse);
    Instance a = reuse.instance().attach("10.0.0.1").start(0);
    a.migrate(1, Outcome.COMPLETED).detach();
    reuse.instance().attach("10.0.0.1").start(2);
    out.add(reuse.history());
    World released =
        new World("legacy publisher releases one IP of a NIC, another instance gets it", terse);
    released.instance(true).attach("10.0.0.1", "10.0.0.2").start(0).release("10.0.0.2");
    released.instance().attach("10.0.0.2").start(1);
    out.add(released.history());
    World deleted = new World("IP reused after its instance was deleted", terse);
    deleted.instance().attach("10.0.0.1").start(0).stop().delete();
    deleted.instance().attach("10.0.0.1").start(1).migrate(2, Outcome.FAILED);
    out.add(deleted.history());
    return out;
  }

  /** Histories of one instance each, told by stories. */
  private static final class Catalog {
    final List<History> histories = new ArrayList<>();
    private final boolean terse;

    Catalog(boolean terse) {
      this.terse = terse;
    }

    void add(String name, Consumer<Instance> story) {
      World world = new World(name, terse);
      story.accept(world.instance());
      histories.add(world.history());
    }

    /** {@code story} of an instance with IP 10.0.0.1 that was started on sled 0. */
    void running(String name, Consumer<Instance> story) {
      add(name, i -> story.accept(i.attach("10.0.0.1").start(0)));
    }
  }

  /**
   * A random history of {@code operations} operations on one or two instances (two share an IP,
   * re-allocated from the first to the second), legal in the world's order: migrations only while
   * running, starts only while stopped, nothing after a delete. A legacy first instance's Nexus may
   * be upgraded at any point.
   */
  static History random(long seed, int operations, boolean terse) {
    Random random = new Random(seed);
    World world = new World("random seed " + seed + (terse ? " (terse)" : ""), terse);
    boolean two = random.nextInt(3) == 0;
    Instance first = world.instance(random.nextInt(8) == 0).attach("10.0.0.1");
    Instance second = two ? world.instance().attach("10.0.0.2") : null;
    int upgradeAt = random.nextInt(operations + 1); // a legacy first instance's Nexus upgrades
    for (int op = 0; op < operations; op++) {
      if (op == upgradeAt) {
        first.upgrade();
      }
      Instance on = second != null && random.nextBoolean() ? second : first;
      step(random, on);
    }
    if (second != null && !second.isDeleted()) {
      if (!first.isDeleted()) {
        first.detach();
      }
      second.attach("10.0.0.1"); // the IP moves to the second instance at a higher epoch
      if (!second.isDeleted() && !second.isRunning()) {
        second.start(random.nextInt(World.SLEDS));
      }
    }
    return world.history();
  }

  private static void step(Random random, Instance instance) {
    if (instance.isDeleted()) {
      return;
    }
    int roll = random.nextInt(100);
    if (!instance.isRunning()) {
      if (roll < 70) {
        instance.start(random.nextInt(World.SLEDS));
      } else if (roll < 85 && instance.hasNic()) {
        instance.replaceNic("10.0.1." + (1 + random.nextInt(200)));
      } else {
        instance.delete();
      }
      return;
    }
    if (roll < 55) {
      int to = (instance.sledOf() + 1 + random.nextInt(World.SLEDS - 1)) % World.SLEDS;
      if (random.nextInt(8) == 0) {
        instance.abandonMigration(to);
      } else {
        instance.migrate(to, Outcome.values()[random.nextInt(Outcome.values().length)]);
      }
    } else if (roll < 70) {
      instance.stop();
    } else if (roll < 80) {
      instance.crash();
    } else if (roll < 92 && instance.hasNic()) {
      instance.replaceNic("10.0.2." + (1 + random.nextInt(200)));
    } else {
      instance.delete();
    }
  }
}
