package dev.v2pledger.projector.runner;

import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.projector.topics.ProjectorTopics;
import dev.v2pledger.schema.avro.InstanceStateRecord;
import dev.v2pledger.schema.avro.V2PMapping;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.Vni;
import dev.v2pledger.schema.registry.LogSchemas;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

/** The projector's registration of the schemas it writes, on a cluster without the registry. */
@WithKafka
class OwnSchemasIT {
  private static final List<Schema> WRITTEN =
      List.of(V2PMapping.getClassSchema(), InstanceStateRecord.getClassSchema());

  /**
   * Without {@code v2p.schemas} the projector writes on (readers of its build's schemas need no
   * registry), and once the topic is made a later transaction registers its schemas there. It was
   * tried once per runner and never again.
   */
  @Test
  void aRegistrationRefused_isTriedAgainBeforeALaterTransaction_onceTheTopicIsThere(
      KafkaCluster kafka) {
    try (Harness harness = new Harness(kafka, "own-schemas", 1, "own-schemas")) {
      ProjectorTopics topics = harness.topics();
      String registry = topics.schemas() + "-made-later";
      ProjectorTopics withoutRegistry =
          new ProjectorTopics(
              topics.events(),
              topics.dlq(),
              topics.mappings(),
              topics.instanceState(),
              topics.acks(),
              registry);
      harness.awaitReady(harness.start(harness.config("own-1", b -> b.topics(withoutRegistry))));
      harness.publish(started(0));
      await().atMost(Harness.DEADLINE).until(() -> !harness.mappings().isEmpty());

      kafka.createTopics(TopicSpec.of(registry, 1).withConfig("cleanup.policy", "compact"));

      AtomicInteger instances = new AtomicInteger(1);
      await() // tried again once 10 s have passed since it was refused
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                harness.publish(started(instances.getAndIncrement()));
                return registered(kafka, registry);
              });
      harness.awaitCaughtUp();
      harness.assertMatchesOracle();
    }
  }

  private static boolean registered(KafkaCluster kafka, String topic) {
    try (LogSchemas schemas = LogSchemas.open(kafka.clientConfig(), topic, Duration.ZERO)) {
      return WRITTEN.stream()
          .allMatch(s -> s.equals(schemas.find(SchemaNormalization.parsingFingerprint64(s))));
    }
  }

  /** Instance {@code n} attached and placed: two events, two mapping records. */
  private static List<InstanceEvent> started(int n) {
    InstanceId id = InstanceId.parse(String.format("0000%04x-0000-4000-8000-000000000001", n));
    NicId nic = NicId.parse(String.format("0000%04x-0000-4000-8000-000000000002", n));
    return List.of(
        InstanceEvent.of(
                id,
                new NicAttached(
                    nic,
                    new Vni(7777),
                    MacAddr.parse("a8:40:25:f1:6e:6f"),
                    List.of(IpAddr.parse("172.30.0." + (n + 1))),
                    1))
            .withInstanceGen(1),
        InstanceEvent.of(
                id,
                new VmmPlaced(
                    VmmId.parse(String.format("0000%04x-0000-4000-8000-000000000003", n)),
                    SledId.parse("51ed0000-0000-4000-8000-00000000000a"),
                    Ipv6Addr.parse("fd00::1")))
            .withInstanceGen(2));
  }
}
