package dev.v2pledger.fold.interleaving;

import dev.v2pledger.fold.interleaving.World.Instance;
import dev.v2pledger.fold.interleaving.World.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Causal histories to check: a catalog of the rack's stories (migrations that succeed, fail or are
 * retried, VMMs dying on either side, stops, restarts, NIC changes and deletes mid-migration, IP
 * reuse across instances, publishers older than {@code instance_gen}), and seeded random ones
 * composed from the same operations.
 */
final class Histories {
  private Histories() {}

  /** The catalog; {@code terse} sled agents send only the reports that change something. */
  static List<History> catalog(boolean terse) {
    List<History> out = new ArrayList<>();
    add(
        out,
        "migration completes",
        terse,
        i -> i.attach("10.0.0.1").start(0).migrate(1, Outcome.COMPLETED));
    add(
        out,
        "migration fails",
        terse,
        i -> i.attach("10.0.0.1").start(0).migrate(1, Outcome.FAILED));
    add(
        out,
        "migration fails, retried, completes",
        terse,
        i ->
            i.attach("10.0.0.1").start(0).migrate(1, Outcome.FAILED).migrate(2, Outcome.COMPLETED));
    add(
        out,
        "two migrations complete",
        terse,
        i ->
            i.attach("10.0.0.1")
                .start(0)
                .migrate(1, Outcome.COMPLETED)
                .migrate(2, Outcome.COMPLETED));
    add(
        out,
        "source VMM dies mid-migration",
        terse,
        i -> i.attach("10.0.0.1").start(0).migrate(1, Outcome.SOURCE_DIES));
    add(
        out,
        "target VMM dies mid-migration",
        terse,
        i -> i.attach("10.0.0.1").start(0).migrate(1, Outcome.TARGET_DIES));
    add(
        out,
        "source dies, restarted elsewhere",
        terse,
        i -> i.attach("10.0.0.1").start(0).migrate(1, Outcome.SOURCE_DIES).start(2));
    add(
        out,
        "stop and restart elsewhere",
        terse,
        i -> i.attach("10.0.0.1").start(0).stop().start(1));
    add(out, "crash and restart", terse, i -> i.attach("10.0.0.1").start(0).crash().start(0));
    add(
        out,
        "migration completes, then stop",
        terse,
        i -> i.attach("10.0.0.1").start(0).migrate(1, Outcome.COMPLETED).stop());
    add(
        out,
        "migration completes, target crashes, restart",
        terse,
        i -> i.attach("10.0.0.1").start(0).migrate(1, Outcome.COMPLETED).crash().start(2));
    add(
        out,
        "NIC replaced mid-migration",
        terse,
        i -> i.attach("10.0.0.1").start(0).migrate(1, Outcome.COMPLETED).replaceNic("10.0.0.2"));
    add(
        out,
        "NIC detached and attached while running",
        terse,
        i -> i.attach("10.0.0.1").start(0).detach().attach("10.0.0.3"));
    add(
        out,
        "deleted mid-migration",
        terse,
        i -> i.attach("10.0.0.1").start(0).migrate(1, Outcome.COMPLETED).delete());
    add(out, "stopped and deleted", terse, i -> i.attach("10.0.0.1").start(0).stop().delete());
    add(
        out,
        "three migrations: completed, failed, completed",
        terse,
        i ->
            i.attach("10.0.0.1")
                .start(0)
                .migrate(1, Outcome.COMPLETED)
                .migrate(2, Outcome.FAILED)
                .migrate(3, Outcome.COMPLETED));
    World legacy = new World("legacy publisher: migration completes, then stop and restart", terse);
    legacy.instance(true).attach("10.0.0.1").start(0).migrate(1, Outcome.COMPLETED).stop().start(2);
    out.add(legacy.history());
    World reuse = new World("IP reused by another instance after a detach", terse);
    Instance a = reuse.instance().attach("10.0.0.1").start(0);
    a.migrate(1, Outcome.COMPLETED).detach();
    reuse.instance().attach("10.0.0.1").start(2);
    out.add(reuse.history());
    World deleted = new World("IP reused after its instance was deleted", terse);
    deleted.instance().attach("10.0.0.1").start(0).stop().delete();
    deleted.instance().attach("10.0.0.1").start(1).migrate(2, Outcome.FAILED);
    out.add(deleted.history());
    return out;
  }

  private static void add(List<History> out, String name, boolean terse, Consumer<Instance> story) {
    World world = new World(name, terse);
    story.accept(world.instance());
    out.add(world.history());
  }

  /**
   * A random history of {@code operations} operations on one or two instances (two share an IP,
   * re-allocated from the first to the second), legal in the world's order: migrations only while
   * running, starts only while stopped, nothing after a delete.
   */
  static History random(long seed, int operations, boolean terse) {
    Random random = new Random(seed);
    World world = new World("random seed " + seed + (terse ? " (terse)" : ""), terse);
    boolean two = random.nextInt(3) == 0;
    Instance first = world.instance(random.nextInt(8) == 0).attach("10.0.0.1");
    Instance second = two ? world.instance().attach("10.0.0.2") : null;
    for (int op = 0; op < operations; op++) {
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
      instance.migrate(to, Outcome.values()[random.nextInt(Outcome.values().length)]);
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
