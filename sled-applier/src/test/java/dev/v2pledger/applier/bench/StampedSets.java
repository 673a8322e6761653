package dev.v2pledger.applier.bench;

import dev.v2pledger.applier.testing.Records.Sled;
import dev.v2pledger.applier.xde.sim.Mutation;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import java.time.Clock;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Predicate;

/**
 * A simulated device for a bench's sled (no mutation log) that stamps the SETs it is asked to watch
 * as they happen, so that a bench can time a repair from its cause to the device.
 */
final class StampedSets {
  /** A SET as the device saw it, stamped when it happened. */
  record Stamped(Mutation mutation, long nanos) {}

  final SimulatedXde device;
  final BlockingQueue<Stamped> sets = new LinkedBlockingQueue<>();

  /** Watches the SETs on {@code sled}'s device that {@code which} accepts. */
  StampedSets(Sled sled, Predicate<Mutation> which) {
    device = new SimulatedXde(sled.underlay(), Clock.systemUTC());
    device.keepMutationLog(false);
    device.onMutation(
        m -> {
          if (m.op() == Mutation.Op.SET && which.test(m)) {
            sets.add(new Stamped(m, System.nanoTime()));
          }
        });
  }
}
