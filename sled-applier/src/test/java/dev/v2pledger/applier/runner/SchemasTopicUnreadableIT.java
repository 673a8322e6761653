package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.T;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.cleared;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.testing.MappingsTopic;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.EmbeddedKafkaBrokerBuilder;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The applier on a cluster with ACLs whose principal may write {@code v2p.schemas} but not read it
 * (its least-privilege ACLs less that one): a record of a schema unknown to this build is held,
 * with no clear anywhere and sets going on, and readyz says the registry cannot be read; once the
 * ACL is granted readyz says the schema is not registered, and once it is, the record is applied
 * and clears resume.
 */
class SchemasTopicUnreadableIT {
  private static final Duration DEADLINE = UpgradesOnKafka.DEADLINE;
  private static final String SCRAM = "SCRAM-SHA-512";

  @Test
  void recordOfAnUnknownSchema_schemasTopicNotReadable_isHeldWithTheReason_untilReadIsGranted()
      throws Exception {
    try (EmbeddedKafkaBroker broker = startWithAcls()) {
      MappingsTopic.create(broker);
      broker.createTopics(TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));
      grant( // the applier's ACLs (docs/SECURITY.md) less Read on v2p.schemas
          broker,
          allow(Topics.MAPPINGS, AclOperation.READ),
          allow(Topics.ACKS, AclOperation.WRITE),
          allow(Topics.SCHEMAS, AclOperation.WRITE));

      Vni vni = new Vni(3201);
      Vip kept = vip(vni, "10.32.0.1");
      Vip cleared = vip(vni, "10.32.0.2");
      Vip later = vip(vni, "10.32.0.3");
      Vip future = vip(vni, "10.32.0.4");
      write(broker, 1, set(kept, 1, 1, S), UpgradesOnKafka.current(set(kept, 1, 1, S)));
      write(broker, 2, set(cleared, 1, 1, S), UpgradesOnKafka.current(set(cleared, 1, 1, S)));
      SimulatedXde device = UpgradesOnKafka.device();
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (SledApplier applier = startAsApplier(broker, device, registry)) {
        await().atMost(DEADLINE).until(applier::isReady);
        await().atMost(DEADLINE).until(() -> device.table().containsKey(cleared));
        int mark = device.mutationCount();

        V2PMapping fromTheFuture = set(future, 1, 1, T);
        long held =
            write(broker, 0, fromTheFuture, UpgradesOnKafka.next("unreadable", fromTheFuture));
        write(broker, 2, cleared(cleared, 1, 2), UpgradesOnKafka.current(cleared(cleared, 1, 2)));
        write(broker, 1, set(later, 1, 1, T), UpgradesOnKafka.current(set(later, 1, 1, T)));

        await().atMost(DEADLINE).until(() -> entry(later, T).equals(device.table().get(later)));
        await()
            .atMost(DEADLINE)
            .until(
                () -> String.valueOf(applier.readinessProblem()).contains("holding 1 record(s)"));
        assertThat(applier.readinessProblem())
            .as("readyz names the held record and says the registry cannot be read")
            .contains("0@" + held)
            .contains(Topics.SCHEMAS + " cannot be read")
            .containsIgnoringCase("not authorized");
        UpgradesOnKafka.assertHoldsOn(applier, device, registry, mark, cleared, future, held);

        grant(broker, allow(Topics.SCHEMAS, AclOperation.READ));
        await()
            .atMost(DEADLINE)
            .until(
                () ->
                    String.valueOf(applier.readinessProblem())
                        .contains("nor is it registered in " + Topics.SCHEMAS));
        assertThat(applier.readinessProblem())
            .as("readable now, without the schema: readyz says why it is held now")
            .contains("0@" + held)
            .doesNotContain("cannot be read");
        assertThat(device.table()).containsKey(cleared).doesNotContainKey(future);

        UpgradesOnKafka.register(broker, "unreadable"); // registered, as the admin
        UpgradesOnKafka.assertResumes(applier, device, held, kept, cleared, later, future);
      }
    }
  }

  /**
   * Many records held while the registry refuses reads: decoding them again every 2 s must not cost
   * one read of {@code v2p.schemas} per held record, on the applier thread (the refusal is not
   * remembered as a miss is: {@code LogSchemas.find} reads again on every lookup that failed).
   */
  @Test
  void manyRecordsHeld_schemasTopicNotReadable_registryIsNotReadOncePerHeldRecord()
      throws Exception {
    int heldRecords = 300;
    try (EmbeddedKafkaBroker broker = startWithAcls()) {
      MappingsTopic.create(broker);
      broker.createTopics(TopicSpec.of(Topics.SCHEMAS, 1).withConfig("cleanup.policy", "compact"));
      grant(
          broker,
          allow(Topics.MAPPINGS, AclOperation.READ),
          allow(Topics.ACKS, AclOperation.WRITE),
          allow(Topics.SCHEMAS, AclOperation.WRITE));
      UpgradesOnKafka.register(broker, "many");
      Vni vni = new Vni(3202);
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(
              broker.clientConfig(), new StringSerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < heldRecords; i++) {
          V2PMapping record = set(vip(vni, "10.33." + (i / 250) + "." + (i % 250 + 1)), 1, 1, T);
          producer.send(
              new ProducerRecord<>(
                  Topics.MAPPINGS,
                  0,
                  record.key().toString(),
                  UpgradesOnKafka.next("many", record)));
        }
        producer.flush();
      }
      SimulatedXde device = UpgradesOnKafka.device();
      try (SledApplier applier = startAsApplier(broker, device, new SimpleMeterRegistry())) {
        await()
            .atMost(Duration.ofMinutes(2))
            .until(
                () ->
                    String.valueOf(applier.readinessProblem())
                        .contains("holding " + heldRecords + " record(s)"));
        Vip later = vip(vni, "10.34.0.1");
        write(broker, 1, set(later, 1, 1, S), UpgradesOnKafka.current(set(later, 1, 1, S)));
        await().atMost(DEADLINE).until(() -> device.table().containsKey(later));

        long passes = applier.status().passes();
        double before = registryRequests();
        // 15 passes of 300 ms: at least two rounds of decoding the held records again (every 2 s)
        await().atMost(Duration.ofMinutes(2)).until(() -> applier.status().passes() >= passes + 15);
        double sent = registryRequests() - before;

        assertThat(sent)
            .as(
                "requests of the v2p.schemas reader over two or more retry rounds of %d held"
                    + " records (a read is a few requests; the refresh interval is 1 s)",
                heldRecords)
            .isLessThan(100);
        assertThat(applier.failure()).isNull();
      }
    }
  }

  /** Requests sent so far by the applier's reader of {@code v2p.schemas} (its client metrics). */
  private static double registryRequests() throws Exception {
    return ((Number)
            ManagementFactory.getPlatformMBeanServer()
                .getAttribute(
                    new ObjectName(
                        "kafka.consumer:type=consumer-metrics,client-id=v2p-schemas-reader"),
                    "request-total"))
        .doubleValue();
  }

  /** A broker with SCRAM users admin (a super user) and applier, and no access without an ACL. */
  private static EmbeddedKafkaBroker startWithAcls() {
    return EmbeddedKafkaBroker.builder()
        .scramClients("admin", "admin-secret")
        .formatArguments("--add-scram", SCRAM + "=[name=applier,password=applier-secret]")
        .brokerProperty(
            "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
        .brokerProperty("super.users", "User:admin;User:ANONYMOUS")
        .brokerProperty("allow.everyone.if.no.acl.found", "false")
        .start();
  }

  /** Grants {@code acls} and waits until the broker's authorizer has them. */
  private static void grant(EmbeddedKafkaBroker broker, AclBinding... acls) throws Exception {
    try (Admin admin = broker.admin()) {
      admin.createAcls(List.of(acls)).all().get(30, TimeUnit.SECONDS);
      await()
          .atMost(DEADLINE)
          .until(
              () ->
                  admin
                      .describeAcls(AclBindingFilter.ANY)
                      .values()
                      .get(10, TimeUnit.SECONDS)
                      .containsAll(List.of(acls)));
    }
  }

  /** An applier logged in as the applier user, passing every 300 ms. */
  private static SledApplier startAsApplier(
      EmbeddedKafkaBroker broker, SimulatedXde device, SimpleMeterRegistry registry) {
    Map<String, Object> asApplier = broker.clientConfig();
    asApplier.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        EmbeddedKafkaBrokerBuilder.scramLogin("applier", "applier-secret"));
    return SledApplier.start(
        ApplierConfig.of(U.id(), asApplier).withReconcileInterval(Duration.ofMillis(300)),
        device,
        registry);
  }

  private static AclBinding allow(String topic, AclOperation operation) {
    return new AclBinding(
        new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
        new AccessControlEntry("User:applier", "*", operation, AclPermissionType.ALLOW));
  }

  private static long write(
      EmbeddedKafkaBroker broker, int partition, V2PMapping record, byte[] value) throws Exception {
    return UpgradesOnKafka.write(broker, partition, record, value);
  }
}
