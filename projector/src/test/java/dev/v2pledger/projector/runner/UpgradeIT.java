package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.state.InstanceStateCodec;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.metrics.ProjectorMetrics;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.schema.Partitioning;
import dev.v2pledger.schema.avro.InstanceStateRecord;
import dev.v2pledger.schema.codec.AvroRecordCodec;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.codec.SchemaHistory;
import dev.v2pledger.schema.codec.SchemaSource;
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
import dev.v2pledger.schema.testing.NextRelease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Publishers ahead of the projector, and publishers that break the partitioning contract, against a
 * real broker: a newer compatible InstanceEvent schema registered in v2p.schemas is folded; one
 * that is not registered is dead-lettered with the fingerprints this build reads; an event in
 * another partition than its key's is dead-lettered as misrouted; growing v2p.events is refused.
 */
@WithKafka
class UpgradeIT {
  static final Schema NEXT =
      NextRelease.of(dev.v2pledger.schema.avro.InstanceEvent.getClassSchema(), "via_publisher");
  static final NicId NIC = NicId.parse("11111111-2222-4333-8444-555555555555");
  static final Vni VNI = new Vni(7777);
  static final MacAddr MAC = MacAddr.parse("a8:40:25:f1:6e:6f");
  static final SledId SLED = SledId.parse("51ed0000-0000-4000-8000-00000000000a");
  static final VmmId VMM = VmmId.parse("0000000a-0000-4000-8000-000000000001");

  private static List<InstanceEvent> started(InstanceId id, String ip) {
    return List.of(
        InstanceEvent.of(id, new NicAttached(NIC, VNI, MAC, List.of(IpAddr.parse(ip)), 1))
            .withInstanceGen(1),
        InstanceEvent.of(id, new VmmPlaced(VMM, SLED, Ipv6Addr.parse("fd00::1")))
            .withInstanceGen(2));
  }

  private static byte[] next(InstanceEvent event) {
    return NextRelease.encode(NEXT, EventCodec.toAvro(event), "a newer publisher");
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void newerPublisherSchema_registered_isFolded_notRegistered_isDeadLettered(KafkaCluster kafka) {
    try (Harness harness = new Harness(kafka, "upgrade", 3, "upgrade")) {
      InstanceId a = InstanceId.parse("aaaaaaaa-0000-4000-8000-00000000000a");
      InstanceId b = InstanceId.parse("bbbbbbbb-0000-4000-8000-00000000000b");
      try (LogSchemas schemas =
          LogSchemas.open(kafka.clientConfig(), harness.topics().schemas(), Duration.ZERO)) {
        schemas.register(List.of(NEXT));
      }
      for (InstanceEvent event : started(a, "172.30.0.5")) {
        harness.publishAs(event, next(event));
      }
      Schema unregistered =
          NextRelease.of(dev.v2pledger.schema.avro.InstanceEvent.getClassSchema(), "nowhere");
      InstanceEvent lost = started(b, "172.30.0.6").get(0);
      harness.publishPoison(
          lost.key().getBytes(StandardCharsets.UTF_8),
          NextRelease.encode(unregistered, EventCodec.toAvro(lost), "x"));
      Projector projector = harness.start("p1");
      harness.awaitCaughtUp();

      harness.assertMatchesOracle();
      assertThat(harness.oracle().inForce()).hasSize(1);
      List<ConsumerRecord<byte[], byte[]>> dlq = harness.readAll(harness.topics().dlq());
      assertThat(dlq).singleElement();
      String error = header(dlq.get(0), DeadLetters.HEADER_ERROR);
      assertThat(header(dlq.get(0), DeadLetters.HEADER_REASON)).isEqualTo("UNKNOWN_SCHEMA");
      assertThat(error)
          .contains(
              AvroRecordCodec.hex(SchemaNormalization.parsingFingerprint64(unregistered)),
              "v1 "
                  + AvroRecordCodec.hex(
                      SchemaNormalization.parsingFingerprint64(
                          SchemaHistory.versions("InstanceEvent").get(0))),
              "nor is it registered in " + harness.topics().schemas());
      assertThat(projector.metrics().count("dlq", "UNKNOWN_SCHEMA")).isEqualTo(1);
    }
  }

  /**
   * DESIGN "Schemas": v2p.schemas gone while a projector runs (deleted by mistake, or missing from
   * a broker's metadata for a moment). A newer publisher's event is then retried, not dead-lettered
   * as unregistered; once the topic is back with its schema, the event is folded.
   */
  @Test
  void schemasTopicGoneWhileRunning_aNewerEventIsRetried_notDeadLettered(KafkaCluster kafka)
      throws Exception {
    try (Harness harness = new Harness(kafka, "schemas-gone", 3, "schemas-gone")) {
      String schemas = harness.topics().schemas();
      // retries enough to outlast a slow machine's topic creation below
      Projector projector = harness.start(harness.config("p1", c -> c.maxRetries(1000)));
      harness.awaitReady(projector);
      try (var admin = kafka.admin()) {
        admin.deleteTopics(List.of(schemas)).all().get(10, TimeUnit.SECONDS);
      }
      for (InstanceEvent event :
          started(InstanceId.parse("aaaaaaaa-0000-4000-8000-0000000000ac"), "172.30.2.5")) {
        harness.publishAs(event, next(event));
      }

      await().atMost(Harness.DEADLINE).until(() -> projector.metrics().retryCount() >= 2);
      assertThat(harness.readAll(harness.topics().dlq())).isEmpty();
      kafka.createTopics(TopicSpec.of(schemas, 1).withConfig("cleanup.policy", "compact"));
      try (LogSchemas registry = LogSchemas.open(kafka.clientConfig(), schemas, Duration.ZERO)) {
        registry.register(List.of(NEXT));
      }
      harness.awaitCaughtUp();

      harness.assertMatchesOracle();
      assertThat(harness.oracle().inForce()).hasSize(1);
      assertThat(harness.readAll(harness.topics().dlq())).isEmpty();
      assertThat(projector.failure()).isNull();
    }
  }

  @Test
  void eventInAnotherPartitionThanItsKeys_isDeadLetteredAsMisrouted(KafkaCluster kafka) {
    try (Harness harness = new Harness(kafka, "misrouted", 3, "misrouted")) {
      InstanceId a = InstanceId.parse("aaaaaaaa-0000-4000-8000-0000000000aa");
      List<InstanceEvent> events = started(a, "172.30.1.5");
      byte[] key = a.toString().getBytes(StandardCharsets.UTF_8);
      int home = Partitioning.partitionOf(key, 3);
      int wrong = (home + 1) % 3;
      harness.publishTo(wrong, key, new EventCodec().encode(events.get(0)));
      harness.publish(events);
      Projector projector = harness.start("p1");
      harness.awaitCaughtUp();

      harness.assertMatchesOracle();
      ConsumerRecord<byte[], byte[]> letter =
          harness.readAll(harness.topics().dlq()).stream().findFirst().orElseThrow();
      assertThat(header(letter, DeadLetters.HEADER_REASON)).isEqualTo("MISROUTED");
      assertThat(header(letter, DeadLetters.HEADER_EXPECTED_PARTITION))
          .isEqualTo(Integer.toString(home));
      assertThat(header(letter, DeadLetters.HEADER_PARTITION)).isEqualTo(Integer.toString(wrong));
      assertThat(header(letter, DeadLetters.HEADER_ERROR)).contains("murmur2");
      assertThat(projector.metrics().count("dlq", "MISROUTED")).isEqualTo(1);
    }
  }

  /** DESIGN "Partitions and topology": the changelog must be co-partitioned with the events. */
  @Test
  void changelogWithAnotherPartitionCount_theRunnerRefusesToStart(KafkaCluster kafka)
      throws Exception {
    try (Harness harness = new Harness(kafka, "unequal", 3, "unequal")) {
      grow(kafka, harness.topics().instanceState(), 4);

      Projector projector = harness.start("p1");

      await().atMost(Harness.DEADLINE).until(() -> projector.failure() != null);
      assertThat(projector.failure())
          .hasMessageContaining(harness.topics().events() + " has 3 partitions but")
          .hasMessageContaining(harness.topics().instanceState() + " has 4");
      assertThat(projector.metrics().foldedCount()).isZero();
    }
  }

  /**
   * Both topics grown while no projector ran (so they agree again): a restored state that no longer
   * sits in its key's partition is refused, never folded on from nothing in another partition.
   */
  @Test
  void bothTopicsGrownWhileStopped_aStateInAnotherPartitionThanItsKeysIsRefused(KafkaCluster kafka)
      throws Exception {
    try (Harness harness = new Harness(kafka, "grown-both", 3, "grown-both")) {
      List<InstanceId> moved = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        InstanceId id = InstanceId.parse(String.format("eeeeeeee-0000-4000-8000-%012d", i));
        harness.publish(started(id, "10.8.0." + (i + 1)));
        if (Partitioning.partitionOf(id.toString(), 3)
            != Partitioning.partitionOf(id.toString(), 6)) {
          moved.add(id);
        }
      }
      assertThat(moved).as("instances whose key hashes elsewhere among 6 partitions").isNotEmpty();
      Projector first = harness.startReady("p1");
      harness.awaitCaughtUp();
      first.close();
      assertThat(first.awaitTermination(Duration.ofSeconds(30))).isTrue();
      grow(kafka, harness.topics().events(), 6);
      grow(kafka, harness.topics().instanceState(), 6);

      Projector second = harness.start("p2");

      await().atMost(Harness.DEADLINE).until(() -> second.failure() != null);
      assertThat(second.failure())
          .hasMessageContaining(harness.topics().instanceState() + " holds instance")
          .hasMessageContaining("refused");
      assertThat(moved.stream().map(InstanceId::toString))
          .anyMatch(id -> second.failure().getMessage().contains(id));
      assertThat(second.metrics().foldedCount()).isZero();
    }
  }

  /**
   * DESIGN "Schemas in the log": a state a newer projector wrote (one more field, its schema
   * registered) in the changelog of an older one, as after a rollback. Restoring it would write it
   * back without that field, so the runner stops with one line saying why, and folds nothing.
   */
  @Test
  void aNewerProjectorsState_stopsTheRestore_ratherThanLoseItsField(KafkaCluster kafka)
      throws Exception {
    try (Harness harness = new Harness(kafka, "newer-state", 1, "newer-state")) {
      InstanceId id = InstanceId.parse("cccccccc-0000-4000-8000-0000000000cc");
      Schema newer = NextRelease.of(InstanceStateRecord.getClassSchema());
      try (LogSchemas schemas =
          LogSchemas.open(kafka.clientConfig(), harness.topics().schemas(), Duration.ZERO)) {
        schemas.register(List.of(newer));
      }
      InstanceState state = Fold.applyAll(InstanceState.empty(id), started(id, "10.7.7.7"));
      try (var producer =
          new KafkaProducer<byte[], byte[]>(
              kafka.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
        producer
            .send(
                new ProducerRecord<>(
                    harness.topics().instanceState(),
                    0,
                    id.toString().getBytes(StandardCharsets.UTF_8),
                    NextRelease.encode(
                        newer,
                        AvroRecordCodec.<InstanceStateRecord>forSchema(
                                InstanceStateRecord.getClassSchema())
                            .decode(new InstanceStateCodec().encode(state), RecordOrigin.UNKNOWN),
                        "kept by the newer build")))
            .get(30, TimeUnit.SECONDS);
      }
      harness.publish(
          started(InstanceId.parse("dddddddd-0000-4000-8000-0000000000dd"), "10.7.7.8"));

      Projector projector = harness.start("p1");

      await().atMost(Harness.DEADLINE).until(() -> projector.failure() != null);
      assertThat(projector.failure())
          .hasMessageContaining(
              "the changelog does not decode at " + harness.topics().instanceState())
          .hasMessageContaining(
              "would drop when it writes the value back: [" + NextRelease.FIELD + "]");
      assertThat(projector.metrics().foldedCount()).isZero();
    }
  }

  /**
   * Grows {@code topic} and waits until the broker describes it so: its metadata follows the
   * controller a moment after {@code createPartitions} returns.
   */
  private static void grow(KafkaCluster kafka, String topic, int partitions) throws Exception {
    try (var admin = kafka.admin()) {
      admin
          .createPartitions(Map.of(topic, NewPartitions.increaseTo(partitions)))
          .all()
          .get(10, TimeUnit.SECONDS);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  admin
                      .describeTopics(List.of(topic))
                      .allTopicNames()
                      .get()
                      .get(topic)
                      .partitions()
                      .size(),
              count -> count == partitions);
    }
  }

  /**
   * Both topics grown while a runner runs, seen when its clients open again (a session rebuilt
   * after fencing, before the group assigned the new partitions): refused, not taken as the count.
   */
  @Test
  void bothTopicsGrownWhileRunning_areRefusedWhenClientsOpenAgain(KafkaCluster kafka)
      throws Exception {
    try (Harness harness = new Harness(kafka, "grown-both-running", 2, "grown-both-running");
        var admin = kafka.admin()) {
      ProjectorConfig config = harness.config("p1", c -> c);
      EventProcessor processor =
          new EventProcessor(
              config.topics(),
              "p1",
              new ProjectorMetrics(new SimpleMeterRegistry(), "p1"),
              new Interner(),
              SchemaSource.none());
      TopologyGuard guard = new TopologyGuard(config, processor);
      guard.checkTopics(admin); // the first clients
      int started = processor.eventPartitions();
      guard.checkTopics(admin); // a rebuilt session, nothing grown

      grow(kafka, harness.topics().events(), started + 2);
      grow(kafka, harness.topics().instanceState(), started + 2);

      assertThatThrownBy(() -> guard.checkTopics(admin))
          .isInstanceOf(ProjectorFatalException.class)
          .hasMessageContaining(
              harness.topics().events()
                  + " has "
                  + (started + 2)
                  + " partitions, "
                  + started
                  + " when this projector started");
      assertThat(processor.eventPartitions()).isEqualTo(started);
    }
  }

  @Test
  void eventsTopicGrownWhileRunning_isRefused(KafkaCluster kafka) throws Exception {
    try (Harness harness = new Harness(kafka, "grown", 2, "grown")) {
      harness.publish(
          started(InstanceId.parse("aaaaaaaa-0000-4000-8000-0000000000ab"), "10.9.0.1"));
      Projector projector =
          harness.start(
              harness.config("p1", Map.of(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1000), c -> c));
      harness.awaitReady(projector);

      try (var admin = kafka.admin()) {
        admin
            .createPartitions(Map.of(harness.topics().events(), NewPartitions.increaseTo(4)))
            .all()
            .get(10, TimeUnit.SECONDS);
      }

      await().atMost(Harness.DEADLINE).until(() -> projector.failure() != null);
      assertThat(projector.failure())
          .hasMessageContaining(harness.topics().events() + " grew while projectors ran")
          .hasMessageContaining("refused");
      assertThat(projector.readinessProblem()).isNotNull();
    }
  }
}
