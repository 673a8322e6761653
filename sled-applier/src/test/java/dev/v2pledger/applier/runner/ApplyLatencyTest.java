package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code v2p.applier.apply.latency}: event logged -> the record's XDE call succeeded here. */
class ApplyLatencyTest {
  static final Vip A = vip("172.30.0.5");
  static final Vip B = vip("172.30.0.6");
  static final long LOGGED = 1_700_000_000_000L;

  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final AtomicLong wall = new AtomicLong(LOGGED);
  final EngineFixture fixture = new EngineFixture(U);
  final SimulatedXde device = fixture.device;
  final ApplierEngine engine =
      new ApplierEngine(
          device,
          Set.of(Vni.SERVICES),
          new ApplierMetrics(registry, U.id().toString(), wall::get),
          System::nanoTime);

  Timer latency() {
    return registry.get("v2p.applier.apply.latency").tag("sled", U.id().toString()).timer();
  }

  @Test
  void snapshotRecordsAreNotSamples_deltasAreFromTheEventsLogTime() {
    wall.set(LOGGED + 60_000); // a minute later the applier starts and reads the snapshot
    engine.offer(set(A, 1, 1, S), 0, 0, LOGGED);
    engine.completeSnapshot();
    engine.reconcile();
    assertThat(latency().count()).as("the snapshot is not latency").isZero();

    engine.offer(set(A, 1, 2, T), 0, 1, LOGGED + 60_000 - 42);
    assertThat(latency().count()).isEqualTo(1);
    assertThat(latency().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(42.0);
  }

  @Test
  void aFailedCallIsNoSample_norAnUnknownTime_andSkewCountsAsZero() {
    engine.completeSnapshot();
    engine.reconcile();
    device.failNextCalls(1);
    engine.offer(set(A, 1, 1, S), 0, 0, LOGGED);
    engine.offer(set(B, 1, 1, S), 0, 1, ApplierEngine.NO_TIME);
    assertThat(latency().count()).isZero();

    engine.offer(set(B, 1, 2, T), 0, 2, LOGGED + 5_000); // logged "in the future": skewed clocks
    assertThat(latency().count()).isEqualTo(1);
    assertThat(latency().max(TimeUnit.MILLISECONDS)).isZero();
  }
}
