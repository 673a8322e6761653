package dev.v2pledger.fold;

import dev.v2pledger.projector.bench.OneForkBenchmark;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.domain.Vni;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * Where the fold's time goes (a measurement, not a change): the working copy {@code Fold.apply}
 * makes of a state before it looks at the event, next to a whole fold of an event that changes
 * nothing. In the fold's own package, to reach the package-private {@link Transition}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TransitionCostBenchmark extends OneForkBenchmark {
  private InstanceState state;
  private InstanceEvent duplicate;

  @Setup
  public void setup() {
    InstanceId id = new InstanceId(new UUID(1, 1));
    VmmId vmm = new VmmId(new UUID(3, 1));
    InstanceEvent attached =
        InstanceEvent.of(
            id,
            new EventPayload.NicAttached(
                new NicId(new UUID(4, 1)),
                new Vni(7777),
                new MacAddr(0xa84025000001L),
                List.of(IpAddr.parse("172.30.0.5")),
                1));
    state =
        Fold.applyAll(
            InstanceState.empty(id),
            List.of(
                attached,
                InstanceEvent.of(
                    id,
                    new EventPayload.VmmPlaced(
                        vmm, new SledId(new UUID(2, 1)), Ipv6Addr.parse("fd00::1"))),
                InstanceEvent.of(id, new EventPayload.VmmReported(vmm, VmmState.RUNNING, 1))));
    duplicate = attached;
  }

  @Benchmark
  public Transition workingCopyOnly() {
    return new Transition(state);
  }

  @Benchmark
  public FoldResult duplicateFolded() {
    return Fold.apply(state, duplicate);
  }
}
