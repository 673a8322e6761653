package dev.v2pledger.applier.runner;

import dev.v2pledger.applier.testing.MappingsTopic;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.schema.domain.SledId;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the applier's broker tests share: the mappings topic, appliers started on the test's broker
 * and closed after each test.
 */
abstract class AppliersOnKafka {
  final KafkaCluster kafka;
  private final List<SledApplier> started = new ArrayList<>();

  AppliersOnKafka(KafkaCluster kafka) {
    this.kafka = kafka;
  }

  @BeforeAll
  static void mappingsTopic(KafkaCluster kafka) {
    MappingsTopic.create(kafka);
  }

  @AfterEach
  void stopAppliers() {
    started.forEach(SledApplier::close);
  }

  /** The applier of {@code sled} on this broker, passing every {@code interval}. */
  SledApplier start(SledId sled, SimulatedXde device, MeterRegistry registry, Duration interval) {
    return start(config(sled, interval), device, registry);
  }

  /** The configuration of {@code sled}'s applier on this broker, passing every {@code interval}. */
  ApplierConfig config(SledId sled, Duration interval) {
    return ApplierConfig.of(sled, kafka.clientConfig()).withReconcileInterval(interval);
  }

  /** An applier started with {@code config}, closed after the test. */
  SledApplier start(ApplierConfig config, Xde device, MeterRegistry registry) {
    SledApplier applier = SledApplier.start(config, device, registry);
    started.add(applier);
    return applier;
  }
}
