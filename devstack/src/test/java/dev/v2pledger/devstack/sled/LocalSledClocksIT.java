package dev.v2pledger.devstack.sled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.devstack.testing.MappingRecords;
import dev.v2pledger.devstack.workload.SledSpec;
import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.runtime.kafka.AckIndex;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A local sled's two clocks. Its simulated device stamps its mutations with the run's clock (the
 * truth's: exposure compares the two), while its applier stamps acks with the wall clock, which
 * Kafka stamps log times with, as on a real sled: the report's convergence is an ack's time less
 * its event's log time. On the run's clock (anchored to the wall once, then advanced by {@code
 * System.nanoTime()}, which drifted from the wall clock by 5 ms a second for a while on the machine
 * where this was found), the report's convergence p50 came out at -943 ms.
 */
class LocalSledClocksIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @Test
  void theApplierAcksOnTheWallClock_whileTheDeviceStampsOnTheRunsClock() {
    Clock run = Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)); // far from the wall
    Vip vip = new Vip(new Vni(4242), IpAddr.parse("172.30.42.1"));
    SledSpec spec = SledSpec.numbered(1);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
      broker.createTopics(
          TopicSpec.of(Topics.MAPPINGS, 1).withConfig("cleanup.policy", "compact"),
          TopicSpec.of(Topics.ACKS, 1),
          TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));
      try (LocalSled sled =
          LocalSled.withApplier(
              spec,
              run,
              broker.clientConfig(),
              Duration.ofMinutes(10),
              new SimpleMeterRegistry())) {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS); // as an ack's time is
        MappingRecords.produce(broker.clientConfig(), setOn(vip, SledSpec.numbered(2)));
        await().atMost(DEADLINE).until(() -> sled.table().containsKey(vip));
        // the time of the ack covering the mapping, as the report's convergence reads it
        KafkaAccess access = new KafkaAccess(broker.clientConfig(), DEADLINE);
        Instant acked =
            await()
                .atMost(DEADLINE)
                .until(() -> AckIndex.read(access).covered(spec.id(), 0, 0), Objects::nonNull);
        Instant after = Instant.now();

        assertThat(acked).as("the ack's time, on the wall clock").isBetween(before, after);
        assertThat(sled.mutations().get(0).at())
            .as("the device's stamp, on the run's clock")
            .isBefore(before.minus(Duration.ofMinutes(59)));
      }
    }
  }

  private static V2PMapping setOn(Vip vip, SledSpec on) {
    return V2PMapping.set(
        MappingKey.of(vip, 1),
        new V2PTarget(MacAddr.parse("a8:40:25:f0:42:01"), on.underlay(), on.id()),
        new InstanceId(UUID.fromString("00000000-0000-4000-8000-000000004242")),
        new NicId(UUID.fromString("00000000-0000-4000-8000-000000004243")),
        1);
  }
}
