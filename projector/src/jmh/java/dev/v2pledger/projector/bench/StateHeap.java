package dev.v2pledger.projector.bench;

import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.state.InstanceStateCodec;
import dev.v2pledger.projector.runner.Interner;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.openjdk.jol.info.GraphLayout;

/**
 * Heap per instance of state, the way the runner holds it (a map from instance id to state), for
 * three kinds of instance, folded from decoded events and as restored from the changelog. Measured
 * twice: the deep size of the map ({@code GraphLayout}, objects shared between instances counted
 * once), and the heap used after a full GC, before and after building the map.
 *
 * <pre>mvn -B -Pjmh -pl projector -am process-test-classes -Dbench=StateHeap -Dbench.args=100000
 * </pre>
 */
public final class StateHeap {
  private StateHeap() {}

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    System.out.printf("%d instances per row; bytes per instance (map entry + id + state)%n", n);
    System.out.printf("%-34s %10s %10s%n", "instances", "deep size", "GC'd heap");
    Lifecycles life = new Lifecycles(1);
    for (boolean intern : new boolean[] {false, true}) {
      Interner interner = intern ? new Interner() : null;
      System.out.println(intern ? "-- as the runner holds them (interned)" : "-- not interned");
      row(n, "fresh (1 NIC, placed, running)", id -> life.fresh(id), false, interner);
      row(n, "after 1 migration", id -> life.migrated(id, 1), false, interner);
      row(n, "after 12 migrations (memories full)", id -> life.migrated(id, 12), false, interner);
      row(n, "fresh, restored from the changelog", id -> life.fresh(id), true, interner);
      row(n, "12 migrations, restored", id -> life.migrated(id, 12), true, interner);
    }
  }

  private static void row(
      int n,
      String what,
      Function<InstanceId, List<InstanceEvent>> history,
      boolean restored,
      @Nullable Interner interner) {
    Lifecycles ids = new Lifecycles(2);
    InstanceStateCodec codec = new InstanceStateCodec();
    EventCodec events = new EventCodec();
    long before = usedAfterGc();
    Map<InstanceId, InstanceState> states = new HashMap<>();
    for (int i = 0; i < n; i++) {
      InstanceId id = ids.instance(i);
      InstanceState state = InstanceState.empty(id);
      for (InstanceEvent event : history.apply(id)) {
        // as the runner gets them: decoded from bytes, every id a new object
        InstanceEvent decoded = events.decode(events.encode(event), RecordOrigin.UNKNOWN);
        if (interner != null) {
          decoded = interner.intern(decoded, state);
        }
        state = Fold.apply(state, decoded).state();
      }
      if (restored) {
        state = codec.decode(codec.encode(state), RecordOrigin.UNKNOWN);
        if (interner != null) {
          state = interner.intern(state);
        }
        id = state.instanceId();
      }
      states.put(id, state);
    }
    long after = usedAfterGc();
    GraphLayout layout = GraphLayout.parseInstance(states);
    long deep = layout.totalSize();
    System.out.printf("%-34s %10d %10d%n", what, deep / n, (after - before) / n);
    if (Boolean.getBoolean("footprint")) {
      System.out.println(layout.toFootprint());
    }
    if (states.size() != n) {
      throw new IllegalStateException("lost states");
    }
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
