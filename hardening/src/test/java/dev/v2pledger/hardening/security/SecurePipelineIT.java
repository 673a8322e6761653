package dev.v2pledger.hardening.security;

import static dev.v2pledger.hardening.security.SecureBroker.SASL;
import static dev.v2pledger.hardening.security.SecureBroker.TLS;
import static dev.v2pledger.hardening.security.SecureBroker.USERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.runner.ApplierConfig;
import dev.v2pledger.applier.runner.SledApplier;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.projector.runner.Projector;
import dev.v2pledger.projector.runner.ProjectorConfig;
import dev.v2pledger.runtime.kafka.KafkaSettings;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a cluster with SASL/SCRAM and ACLs, each component as its own principal with only
 * the ACLs of docs/SECURITY.md: the operator creates the topics with init-topics, a publisher
 * publishes, the projector (over TLS) projects, the applier (settings from V2P_KAFKA_* variables)
 * sets its simulated device, the replay tool verifies; and what a principal was not granted, it
 * cannot do.
 */
class SecurePipelineIT {
  static final Duration DEADLINE = Duration.ofSeconds(60);
  static final InstanceId INSTANCE = InstanceId.parse("8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6");
  static final SledId SLED = SledId.parse("51ed0001-0000-4000-8000-000000000001");
  static final Ipv6Addr UNDERLAY = Ipv6Addr.parse("fd00:1122:3344:101::1");
  static final MacAddr MAC = MacAddr.parse("a8:40:25:f1:6e:6f");
  static final Vip VIP = new Vip(new Vni(7777), IpAddr.parse("172.30.0.5"));

  @TempDir static Path directory;
  static SecureBroker secure;

  @BeforeAll
  static void start() throws Exception {
    secure = SecureBroker.startWithAclsAndTopics(directory);
  }

  @AfterAll
  static void stop() {
    secure.close();
  }

  @Test
  void eachComponentAsItsOwnPrincipalProjectsAndAppliesEvents() throws Exception {
    Map<String, Object> projectorSettings =
        KafkaSettings.clientConfig(
            null, secure.clientFile("projector", USERS.get("projector"), TLS), Map.of());
    Map<String, Object> applierSettings =
        KafkaSettings.clientConfig(secure.bootstrap(SASL), null, applierEnvironment());
    SimulatedXde device = new SimulatedXde(Ipv6Addr.parse("fd00::99"), Clock.systemUTC());
    try (Projector projector =
            Projector.start(
                ProjectorConfig.builder(projectorSettings, "secure-0")
                    .kafkaTimeout(Duration.ofSeconds(20))
                    .build());
        SledApplier applier =
            SledApplier.start(
                ApplierConfig.of(SLED, applierSettings)
                    .withReconcileInterval(Duration.ofSeconds(1)),
                device,
                new SimpleMeterRegistry())) {
      publishAsThePublisher(
          InstanceEvent.of(
              INSTANCE,
              new EventPayload.NicAttached(
                  NicId.parse("11111111-2222-4333-8444-555555555555"),
                  VIP.vni(),
                  MAC,
                  List.of(VIP.ip()),
                  1)),
          InstanceEvent.of(
              INSTANCE,
              new EventPayload.VmmPlaced(
                  VmmId.parse("aaaaaaaa-0000-4000-8000-00000000000a"), SLED, UNDERLAY)));

      await("the applier's device holds the mapping")
          .atMost(DEADLINE)
          .untilAsserted(
              () -> assertThat(device.dump()).containsExactly(new XdeMapping(VIP, MAC, UNDERLAY)));
      await("an ack").atMost(DEADLINE).until(() -> !applier.status().acked().isEmpty());
      await("the poison event in the DLQ").atMost(DEADLINE).until(() -> deadLetters() == 1);
      assertThat(projector.failure()).isNull();
      assertThat(applier.failure()).isNull();
    }
    theReplayToolReadsEverythingButMayNotPublish();
  }

  /** Run after the pipeline: the replay principal reads events, mappings and acks. */
  private static void theReplayToolReadsEverythingButMayNotPublish() throws Exception {
    String config = secure.clientFile("replay").toString();
    Commands.Run verify = Commands.replay("verify", "--kafka-config", config);
    Commands.Run stats = Commands.replay("stats", "--kafka-config", config);
    Path events = directory.resolve("export.jsonl");
    Commands.Run export =
        Commands.replay("export", "--kafka-config", config, "--out", events.toString());
    Commands.Run publish =
        Commands.replay(
            "publish", "--kafka-config", config, "--from-file", events.toString(), "--append");

    assertThat(verify.exit()).as(verify.err()).isZero();
    assertThat(stats.exit()).as(stats.err()).isZero();
    assertThat(stats.out()).contains("latency");
    assertThat(export.exit()).as(export.err()).isZero();
    assertThat(publish.exit()).isEqualTo(1);
    assertThat(publish.err().strip())
        .startsWith("publish: publishing to " + secure.bootstrap(SASL) + " failed:")
        // no Write on any topic: refused already for the idempotent producer's id (KIP-679)
        .containsPattern("(Topic|Cluster)AuthorizationException")
        .doesNotContain("\n");
  }

  @Test
  void theApplierCanNeitherWriteMappingsNorReadEvents() {
    Map<String, Object> settings =
        KafkaSettings.clientConfig(secure.bootstrap(SASL), null, applierEnvironment());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
      assertThatThrownBy(
              () ->
                  producer
                      .send(new ProducerRecord<>(Topics.MAPPINGS, new byte[] {1}, new byte[] {2}))
                      .get())
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TopicAuthorizationException.class);
    }
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(new TopicPartition(Topics.EVENTS, 0)));
      consumer.seekToBeginning(consumer.assignment());
      assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10)))
          .isInstanceOf(TopicAuthorizationException.class)
          .hasMessageContaining(Topics.EVENTS);
    }
  }

  /** The applier's settings as an operator would give them: V2P_KAFKA_* variables. */
  static Map<String, String> applierEnvironment() {
    return Map.of(
        "V2P_KAFKA_SECURITY_PROTOCOL",
        "SASL_PLAINTEXT",
        "V2P_KAFKA_SASL_MECHANISM",
        SecureBroker.SCRAM,
        "V2P_KAFKA_SASL_JAAS_CONFIG",
        SecureBroker.jaas("applier", USERS.get("applier")));
  }

  private static void publishAsThePublisher(InstanceEvent... events) throws Exception {
    Map<String, Object> settings =
        KafkaSettings.clientConfig(null, secure.clientFile("publisher"), Map.of());
    settings.put("enable.idempotence", true);
    settings.put("acks", "all");
    try (KafkaProducer<String, InstanceEvent> producer =
            new KafkaProducer<>(settings, new StringSerializer(), V2PSerde.events());
        KafkaProducer<byte[], byte[]> raw =
            new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (InstanceEvent event : events) {
        producer.send(new ProducerRecord<>(Topics.EVENTS, event.key(), event)).get();
      }
      raw.send(new ProducerRecord<>(Topics.EVENTS, INSTANCE.toString().getBytes(), new byte[] {7}))
          .get();
    }
  }

  /** The committed records of the DLQ, read as the admin. */
  private static long deadLetters() {
    Map<String, Object> settings = new HashMap<>(secure.adminConfig());
    settings.put("isolation.level", "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.EVENTS_DLQ).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long count = 0;
      for (int polls = 0; polls < 5; polls++) {
        count += consumer.poll(Duration.ofMillis(200)).count();
      }
      return count;
    }
  }
}
