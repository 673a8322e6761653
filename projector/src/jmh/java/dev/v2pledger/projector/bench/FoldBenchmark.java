package dev.v2pledger.projector.bench;

import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.FoldResult;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.projector.testing.Workload;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The pure fold on one thread: a rack-like stream of 100 000 events over 2 000 instances folded
 * into a map of states (what the runner does, without Kafka), and single events on typical states.
 * Throughput is in events per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class FoldBenchmark extends OneForkBenchmark {
  static final int EVENTS = 100_000;

  private List<InstanceEvent> stream;
  private InstanceState migrating;
  private InstanceEvent completed;
  private InstanceState located;
  private InstanceEvent duplicate;

  @Setup
  public void setup() {
    stream = new Workload(42, 4000, 32).next(EVENTS, 2000);
    Lifecycles life = new Lifecycles(7);
    InstanceId id = life.instance(0);
    List<InstanceEvent> history = life.migrating(id);
    migrating = Fold.applyAll(InstanceState.empty(id), history);
    EventPayload.MigrationStarted started =
        (EventPayload.MigrationStarted) history.get(history.size() - 1).payload();
    completed =
        InstanceEvent.of(
            id,
            new EventPayload.MigrationReported(
                started.migrationId(), MigrationSide.TARGET, MigrationState.COMPLETED, 3));
    List<InstanceEvent> fresh = life.fresh(id);
    located = Fold.applyAll(InstanceState.empty(id), fresh);
    duplicate = fresh.get(0);
  }

  /** The stream into a map of states, as the runner folds a partition's events. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public void foldStream(Blackhole blackhole) {
    Map<InstanceId, InstanceState> states = new HashMap<>(4096);
    for (InstanceEvent event : stream) {
      InstanceState state = states.get(event.instanceId());
      if (state == null) {
        state = InstanceState.empty(event.instanceId());
      }
      FoldResult result = Fold.apply(state, event);
      states.put(event.instanceId(), result.state());
      blackhole.consume(result.records());
    }
    blackhole.consume(states);
  }

  /** A migration completes: the instance moves, its two pairs are set on the target. */
  @Benchmark
  public FoldResult migrationCompleted() {
    return Fold.apply(migrating, completed);
  }

  /** A duplicate NicAttached: the cheapest path, nothing changes. */
  @Benchmark
  public FoldResult duplicateIgnored() {
    return Fold.apply(located, duplicate);
  }
}
