package dev.v2pledger.applier.runner;

import dev.v2pledger.applier.testing.MutableClock;
import dev.v2pledger.applier.testing.Records.Sled;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Version.Verdict;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

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

  /**
   * Holds {@code record} at (partition, offset): its key is known, its value does not decode now (a
   * schema the registry cannot give yet).
   */
  void hold(V2PMapping record, int partition, long offset) {
    engine.hold(EngineTest.held(partition, offset, record.key()));
  }

  /**
   * The record held at (partition, offset) decodes now as {@code record}, as the applier's retry of
   * held records offers it: the engine's verdict (null: still held).
   */
  @Nullable Verdict decodeLate(V2PMapping record, int partition, long offset) {
    return engine.decodedLate(partition, offset, record, ApplierEngine.NO_TIME);
  }

  /** What the applier does after each resolution of a held record: the holds end, a pass runs. */
  void endHolds() {
    engine.holdsEnded();
    engine.reconcile();
  }

  /** The applier loop's context around this fixture's engine (passes every 5 s). */
  LoopContext loopContext() {
    return new LoopContext(
        ApplierConfig.of(sled.id(), Map.of("bootstrap.servers", "127.0.0.1:9092")),
        engine,
        new ApplierMetrics(new SimpleMeterRegistry(), sled.id().toString()),
        new PassSchedule(engine, Duration.ofSeconds(5)));
  }

  long nextOffset() {
    return nextOffset;
  }
}
