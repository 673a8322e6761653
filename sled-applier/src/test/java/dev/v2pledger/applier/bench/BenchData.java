package dev.v2pledger.applier.bench;

import dev.v2pledger.applier.runner.SledApplier;
import dev.v2pledger.applier.testing.MappingsTopic;
import dev.v2pledger.applier.testing.Records.Sled;
import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.Ipv4Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A broker with {@code v2p.mappings} holding {@code n} SET mappings spread over 32 sleds. */
final class BenchData {
  static final int SLEDS = 32;

  /** With -Dbench.vnis=sequential: VNIs 10000, 10001, ... (exposes Vip's hash collisions). */
  static final boolean SEQUENTIAL_VNIS = "sequential".equals(System.getProperty("bench.vnis"));

  private BenchData() {}

  /** Waits until {@code applier} is ready; throws if it fails or is not ready {@code within}. */
  static SledApplier awaitReady(SledApplier applier, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!applier.isReady()) {
      if (applier.failure() != null) {
        throw new IllegalStateException("applier stopped", applier.failure());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("applier not ready within " + within);
      }
      Thread.sleep(10);
    }
    return applier;
  }

  static EmbeddedKafkaBroker broker(int partitions) {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start();
    broker.createTopics(
        TopicSpec.of(Topics.MAPPINGS, partitions).withConfig("cleanup.policy", "compact"),
        TopicSpec.of(Topics.ACKS, partitions));
    return broker;
  }

  /**
   * The i-th mapping: VPCs of 1024 VIPs each, with VNIs drawn at random (as Omicron allocates them)
   * and the same private range 172.30.0.0/22 in every VPC; one instance per 2 VIPs.
   */
  static V2PMapping mapping(int i, long gen) {
    return mapping(i, gen, SEQUENTIAL_VNIS);
  }

  /** The i-th mapping, with VNIs 10000, 10001, ... when {@code sequential}. */
  static V2PMapping mapping(int i, long gen, boolean sequential) {
    Vni vni = VNIS.computeIfAbsent(sequential ? -1 - i / 1024 : i / 1024, BenchData::vniOf);
    Vip vip = new Vip(vni, new Ipv4Addr(0xAC1E0000 | (i % 1024)));
    Sled sled = SLED_LIST[i % SLEDS];
    V2PTarget target = new V2PTarget(new MacAddr(0xA84025000000L | i), sled.underlay(), sled.id());
    return V2PMapping.set(
        MappingKey.of(vip, 1),
        target,
        new InstanceId(new UUID(0x1234L, i / 2)),
        new NicId(new UUID(0x5678L, i / 2)),
        gen);
  }

  private static final Sled[] SLED_LIST = new Sled[SLEDS];
  private static final Map<Integer, Vni> VNIS = new ConcurrentHashMap<>();

  static {
    for (int s = 0; s < SLEDS; s++) {
      SLED_LIST[s] = Sled.number(1 + s);
    }
  }

  /**
   * VPC {@code key} (negative: sequential VNIs 10000, 10001, ...), shared like the applier does.
   */
  private static Vni vniOf(int key) {
    return key < 0 ? new Vni(10_000 - 1 - key) : vni(key);
  }

  /** The VNI of VPC {@code vpc}: a fixed pseudo-random value in 1024..2^24-1. */
  static Vni vni(int vpc) {
    long mixed = (vpc + 1) * 0x9E3779B97F4A7C15L;
    mixed ^= mixed >>> 29;
    return new Vni(1024 + (int) Long.remainderUnsigned(mixed, Vni.MAX - 1024));
  }

  static void produce(EmbeddedKafkaBroker broker, int n) {
    Instant at = Instant.parse("2025-01-01T00:00:00Z");
    try (KafkaProducer<String, ProjectedMapping> producer =
        MappingsTopic.producer(broker, Map.of("compression.type", "none"))) {
      for (int i = 0; i < n; i++) {
        V2PMapping m = mapping(i, 1);
        producer.send(
            new ProducerRecord<>(
                Topics.MAPPINGS,
                m.key().toString(),
                new ProjectedMapping(m, new EventPosition(0, i, at))));
      }
      producer.flush();
    }
  }
}
