package dev.v2pledger.applier.runner;

import dev.v2pledger.applier.testing.MutableClock;
import dev.v2pledger.applier.testing.Records.Sled;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Set;

/** One sled for engine tests: its simulated device and an engine over it. */
final class EngineFixture {
  final Sled sled;
  final MutableClock clock = MutableClock.at("2025-01-01T00:00:00Z");
  final SimulatedXde device;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  ApplierEngine engine;
  private long nextOffset;

  EngineFixture(Sled sled) {
    this.sled = sled;
    this.device = new SimulatedXde(sled.underlay(), clock);
    this.engine = newEngine(device);
  }

  ApplierEngine newEngine(Xde xde) {
    return new ApplierEngine(
        xde,
        Set.of(Vni.SERVICES),
        new ApplierMetrics(registry, sled.id().toString()),
        System::nanoTime);
  }

  /** A restarted applier: a fresh engine (empty desired table) over the same device. */
  void restart() {
    engine = newEngine(device);
    nextOffset = 0;
  }

  /** Offers records at the next offsets of partition 0, advancing the position past them. */
  void offer(V2PMapping... records) {
    for (V2PMapping record : records) {
      engine.offer(record, 0, nextOffset++);
    }
    engine.advance(0, nextOffset);
  }

  /** Reads {@code records} as the snapshot, completes it and runs the first pass. */
  void snapshot(List<V2PMapping> records) {
    offer(records.toArray(V2PMapping[]::new));
    engine.completeSnapshot();
    engine.reconcile();
  }

  long nextOffset() {
    return nextOffset;
  }
}
