package dev.v2pledger.applier.bench;

import dev.v2pledger.applier.reconcile.Desired;
import dev.v2pledger.applier.reconcile.PassResult;
import dev.v2pledger.applier.reconcile.Reconciler;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.schema.domain.V2PMapping;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * One full reconcile pass without Kafka or HTTP: dump the simulated device, diff against N desired
 * mappings (default 10,000), repair the one entry a port destroy removed.
 */
public final class PassBench {
  private PassBench() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int passes = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    Desired desired = new Desired(Set.of());
    SimulatedXde device =
        new SimulatedXde(BenchData.mapping(0, 1).target().underlayIp(), Clock.systemUTC());
    device.keepMutationLog(false);
    for (int i = 0; i < n; i++) {
      V2PMapping m = BenchData.mapping(i, 1);
      desired.offer(m);
      device.set(Desired.entryOf(m));
    }
    Reconciler reconciler = new Reconciler(device, System::nanoTime);
    List<XdeMapping> entries = new ArrayList<>(device.table().values());
    Random random = new Random(7);
    long[] took = new long[passes];
    for (int i = -passes; i < passes; i++) {
      XdeMapping victim = entries.get(random.nextInt(entries.size()));
      device.destroyPort(victim.vip().vni(), victim.vip().ip());
      PassResult result = reconciler.reconcile(desired);
      if (result.set() != 1) {
        throw new IllegalStateException(result.toString());
      }
      if (i >= 0) {
        took[i] = result.took().toNanos();
      }
    }
    System.out.printf("reconcile pass without Kafka, %,d mappings, one repair each%n", n);
    System.out.println("  " + new Stats(took).micros());
  }
}
