package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.projector.testing.Workload;
import dev.v2pledger.runtime.http.Metrics;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.AvroRecordCodec;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.domain.EventPayload.MigrationReported;
import dev.v2pledger.schema.domain.EventPayload.MigrationStarted;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.NicDetached;
import dev.v2pledger.schema.domain.EventPayload.VmmPlaced;
import dev.v2pledger.schema.domain.EventPayload.VmmReported;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.domain.Vni;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Events in, mappings out: one projector against a real broker, compared with the oracle. */
@WithKafka
class ProjectorIT {

  @Test
  void eventsInMappingsOutEqualTheOracle(KafkaCluster kafka) throws Exception {
    Workload workload = Workload.seeded("eventsInMappingsOutEqualTheOracle", 40, 5);
    try (Harness harness = new Harness(kafka, "oracle", 3, workload.context())) {
      harness.publish(workload.next(1500, 30));
      Projector projector = harness.startReady("p1");
      harness.publish(workload.next(1500, 30));
      harness.awaitCaughtUp();

      harness.assertMatchesOracle();
      assertThat(projector.metrics().foldedCount()).isEqualTo(harness.oracle().events());
      assertThat(projector.status().assigned()).containsExactly(0, 1, 2);
      assertThat(projector.status().instances()).isEqualTo(harness.oracle().states().size());
      projector.close();
      assertThat(projector.awaitTermination(Duration.ofSeconds(1))).isTrue();
      assertThat(projector.status().phase()).isEqualTo(ProjectorStatus.Phase.STOPPED);
    }
  }

  @Test
  void poisonEventsGoToTheDlqWithTheirErrorAndTheStreamContinues(KafkaCluster kafka) {
    try (Harness harness = new Harness(kafka, "poison", 3, "poison")) {
      InstanceId x = InstanceId.parse("aaaaaaaa-0000-4000-8000-00000000000a");
      InstanceId y = InstanceId.parse("bbbbbbbb-0000-4000-8000-00000000000b");
      byte[] key = utf8(x.toString());
      harness.publish(
          List.of(
              InstanceEvent.of(
                  x, new NicAttached(NIC, VNI, MAC, List.of(IpAddr.parse("172.30.0.5")), 1)),
              InstanceEvent.of(x, new VmmPlaced(VMM_S, SLED_S, underlay(1)))));
      byte[] valid = new EventCodec().encode(InstanceEvent.of(x, new NicDetached(NIC)));
      byte[] unknownFingerprint = valid.clone();
      unknownFingerprint[2] ^= 0x5a;
      List<EventPosition> poison =
          List.of(
              harness.publishPoison(
                  key, utf8("not avro at all"), new RecordHeader("trace-id", utf8("t1"))),
              harness.publishPoison(key, unknownFingerprint),
              harness.publishPoison(key, badIp(x)),
              harness.publishPoison(
                  key,
                  new EventCodec()
                      .encode(InstanceEvent.of(y, new VmmPlaced(VMM_T, SLED_T, underlay(2))))),
              harness.publishPoison(
                  key,
                  valid,
                  new RecordHeader(
                      Topics.HEADER_SCHEMA, utf8("dev.v2pledger.schema.avro.V2PMapping"))),
              harness.publishPoison(key, null));
      harness.publish(
          List.of(
              InstanceEvent.of(x, new MigrationStarted(M1, VMM_S, VMM_T, SLED_T, underlay(2))),
              InstanceEvent.of(
                  x, new MigrationReported(M1, MigrationSide.TARGET, MigrationState.COMPLETED, 3)),
              InstanceEvent.of(x, new VmmReported(VMM_S, VmmState.DESTROYED, 4))));
      Projector projector = harness.start("p1");
      harness.awaitCaughtUp();

      harness.assertMatchesOracle();
      assertThat(harness.oracle().inForce().values())
          .singleElement()
          .satisfies(m -> assertThat(m.target().sledId()).isEqualTo(SLED_T));
      List<ConsumerRecord<byte[], byte[]>> dlq = harness.readAll(harness.topics().dlq());
      assertThat(dlq).hasSize(poison.size());
      dlq.sort(Comparator.comparingLong(r -> Long.parseLong(header(r, DeadLetters.HEADER_OFFSET))));
      List<String> reasons = new ArrayList<>();
      for (int i = 0; i < dlq.size(); i++) {
        ConsumerRecord<byte[], byte[]> letter = dlq.get(i);
        EventPosition at = poison.get(i);
        reasons.add(header(letter, DeadLetters.HEADER_REASON));
        assertThat(letter.key()).isEqualTo(key);
        assertThat(header(letter, DeadLetters.HEADER_TOPIC)).isEqualTo(harness.topics().events());
        assertThat(header(letter, DeadLetters.HEADER_PARTITION))
            .isEqualTo(Integer.toString(at.partition()));
        assertThat(header(letter, DeadLetters.HEADER_OFFSET)).isEqualTo(Long.toString(at.offset()));
        assertThat(header(letter, DeadLetters.HEADER_TIMESTAMP))
            .isEqualTo(Long.toString(at.timestamp().toEpochMilli()));
        assertThat(header(letter, DeadLetters.HEADER_PROJECTOR)).isEqualTo("p1");
        assertThat(header(letter, DeadLetters.HEADER_ERROR)).doesNotContain("\n").isNotBlank();
      }
      assertThat(reasons)
          .containsExactly(
              "CORRUPT",
              "UNKNOWN_SCHEMA",
              "INVALID_VALUE",
              "KEY_MISMATCH",
              "UNKNOWN_SCHEMA",
              "CORRUPT");
      assertThat(dlq.get(0).value()).isEqualTo(utf8("not avro at all"));
      assertThat(header(dlq.get(0), "trace-id")).isEqualTo("t1");
      assertThat(header(dlq.get(0), DeadLetters.HEADER_ERROR)).contains("not Avro single-object");
      assertThat(dlq.get(1).value()).isEqualTo(unknownFingerprint);
      assertThat(header(dlq.get(1), DeadLetters.HEADER_ERROR)).contains("fingerprint");
      assertThat(header(dlq.get(2), DeadLetters.HEADER_ERROR)).contains("ips[0]");
      assertThat(header(dlq.get(3), DeadLetters.HEADER_ERROR))
          .isEqualTo("record key '" + x + "' is not the event's instance id " + y);
      assertThat(header(dlq.get(4), DeadLetters.HEADER_ERROR)).contains("header v2p.schema");
      assertThat(dlq.get(5).value()).isNull();
      assertThat(projector.metrics().count("dlq", "CORRUPT")).isEqualTo(2);
      assertThat(projector.metrics().count("dlq", "UNKNOWN_SCHEMA")).isEqualTo(2);
      assertThat(projector.metrics().count("dlq", "KEY_MISMATCH")).isEqualTo(1);
      assertThat(projector.metrics().foldedCount()).isEqualTo(5);
    }
  }

  @Test
  void aPoisonTooLargeToCopyIsDeadLetteredWithoutItsValueAndTheStreamContinues(KafkaCluster kafka) {
    try (Harness harness = new Harness(kafka, "huge-poison", 1, "huge")) {
      InstanceId x = InstanceId.parse("cccccccc-0000-4000-8000-00000000000c");
      byte[] key = utf8(x.toString());
      // as large as a producer sends (max.request.size 1 MiB): with the letter's headers added, a
      // whole copy would no longer fit, and every send of it would be refused
      byte[] huge = new byte[1_048_300];
      Arrays.fill(huge, (byte) 'x');
      EventPosition at = harness.publishPoison(key, huge, new RecordHeader("trace-id", utf8("t2")));
      harness.publish(
          List.of(
              InstanceEvent.of(
                  x, new NicAttached(NIC, VNI, MAC, List.of(IpAddr.parse("172.30.0.7")), 1)),
              InstanceEvent.of(x, new VmmPlaced(VMM_S, SLED_S, underlay(1)))));
      Projector projector = harness.start("p1");
      harness.awaitCaughtUp();

      harness.assertMatchesOracle();
      assertThat(harness.oracle().inForce()).hasSize(1);
      ConsumerRecord<byte[], byte[]> letter = theLetterWithoutValue(harness, key, at);
      assertThat(letter.headers().lastHeader("trace-id")).isNull();
      assertThat(header(letter, DeadLetters.HEADER_OMITTED)).startsWith("value and headers (");
      assertThat(header(letter, DeadLetters.HEADER_REASON)).isEqualTo("CORRUPT");
      assertThat(projector.metrics().count("dlq", "CORRUPT")).isEqualTo(1);
    }
  }

  /**
   * A dead-letter topic whose {@code max.message.bytes} is below the letter of a poison copied
   * whole (an operator's limit): the first attempt is refused, its transaction aborted, and the
   * next one letters the poison without its value. The runner does not stop, and no partition
   * stalls.
   */
  @Test
  void aLetterTheDeadLetterTopicRefusesAsTooLarge_isSentAgainWithoutTheValue(KafkaCluster kafka)
      throws Exception {
    Workload workload = Workload.seeded("small-dlq", 30, 4);
    try (Harness harness = new Harness(kafka, "small-dlq", 3, workload.context())) {
      try (Admin admin = harness.cluster().admin()) {
        admin
            .incrementalAlterConfigs(
                Map.of(
                    new ConfigResource(ConfigResource.Type.TOPIC, harness.topics().dlq()),
                    List.of(
                        new AlterConfigOp(
                            new ConfigEntry("max.message.bytes", "4096"),
                            AlterConfigOp.OpType.SET))))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      harness.publish(workload.next(100, 20));
      byte[] key = utf8("not-an-instance");
      EventPosition at = harness.publishPoison(key, new byte[20_000]); // CORRUPT, < 512 KiB
      harness.publish(workload.next(100, 20));
      Projector projector =
          harness.start(
              harness.config(
                  "p1", b -> b.retryBackoff(Duration.ofMillis(50), Duration.ofMillis(200))));

      harness.awaitCaughtUp();

      harness.assertMatchesOracle();
      assertThat(projector.status().isTerminal()).isFalse();
      assertThat(projector.metrics().abortCount()).isPositive();
      assertThat(header(theLetterWithoutValue(harness, key, at), DeadLetters.HEADER_OMITTED))
          .isEqualTo(
              "value and headers (20015 bytes in all, refused whole by the dead-letter topic as"
                  + " too large)");
    }
  }

  /** The one dead letter, of the poison {@code key} at {@code at}, without its value. */
  private static ConsumerRecord<byte[], byte[]> theLetterWithoutValue(
      Harness harness, byte[] key, EventPosition at) {
    List<ConsumerRecord<byte[], byte[]>> letters = harness.readAll(harness.topics().dlq());
    assertThat(letters).hasSize(1);
    ConsumerRecord<byte[], byte[]> letter = letters.get(0);
    assertThat(letter.value()).isNull();
    assertThat(letter.key()).isEqualTo(key);
    assertThat(header(letter, DeadLetters.HEADER_OFFSET)).isEqualTo(Long.toString(at.offset()));
    return letter;
  }

  /**
   * Two live projectors given one instance id (a copied configuration): their transactional ids are
   * the same, so each fences the other's producers in turn. One of them stops at its 6th fencing
   * without a commit in between (it rejoined after 5), with a line that names the instance id; the
   * other projects on, and what both wrote is exactly once.
   */
  @Test
  void twoLiveProjectorsWithOneInstanceId_oneStopsNamingIt_theOtherProjectsOn(KafkaCluster kafka) {
    Workload workload = Workload.seeded("twins", 40, 5);
    try (Harness harness = new Harness(kafka, "twins", 3, workload.context())) {
      harness.publish(workload.next(300, 30));
      Projector a = harness.startReady("twin");
      Projector b = harness.start("twin");
      await()
          .atMost(Harness.DEADLINE)
          .until(
              () -> {
                harness.publish(workload.next(10, 30)); // fencings need transactions
                return a.failure() != null || b.failure() != null;
              });
      Projector stopped = a.failure() != null ? a : b;
      Projector survivor = stopped == a ? b : a;
      harness.publish(workload.next(300, 30));
      harness.awaitCaughtUp();

      assertThat(stopped.failure())
          .hasMessageContaining("fenced 6 times without a commit in between")
          .hasMessageContaining("does another projector run with instance id twin?");
      assertThat(survivor.failure()).isNull();
      assertThat(survivor.status().isTerminal()).isFalse();
      harness.assertMatchesOracle();
    }
  }

  /**
   * DESIGN "Partitions and topology": the group's offsets lost (expired after the brokers'
   * offsets.retention.minutes, or deleted) while no projector ran. The next runner folds every
   * partition again from its beginning onto the states it restored. Nexus' events carry their
   * instance generation and are fenced (rule 0), reports are at or below their registers: nothing
   * new is written. Past the fold's memory of 8 past VMMs and migrations, the reports of forgotten
   * ones land in pending registers (rule 6, bounded): the state grows by them, the table does not.
   */
  @ParameterizedTest
  @ValueSource(ints = {6, 12})
  void groupOffsetsLost_theFoldFromTheBeginningWritesNothingNew(int moves, KafkaCluster kafka)
      throws Exception {
    try (Harness harness = new Harness(kafka, "offsets-lost-" + moves, 3, "offsets-lost")) {
      InstanceId x = InstanceId.parse("dddddddd-0000-4000-8000-00000000000d");
      List<InstanceEvent> events = new ArrayList<>();
      long gen = 1;
      events.add(
          InstanceEvent.of(
                  x, new NicAttached(NIC, VNI, MAC, List.of(IpAddr.parse("172.30.0.9")), 1))
              .withInstanceGen(gen++));
      VmmId vmm = numbered(VmmId::parse, 0);
      events.add(
          InstanceEvent.of(x, new VmmPlaced(vmm, SLED_S, underlay(1))).withInstanceGen(gen++));
      for (int i = 1; i <= moves; i++) {
        VmmId target = numbered(VmmId::parse, i);
        MigrationId id = numbered(MigrationId::parse, i);
        SledId sled = i % 2 == 0 ? SLED_S : SLED_T;
        events.add(
            InstanceEvent.of(x, new MigrationStarted(id, vmm, target, sled, underlay(i % 2 + 1)))
                .withInstanceGen(gen++));
        events.add(
            InstanceEvent.of(
                x, new MigrationReported(id, MigrationSide.TARGET, MigrationState.COMPLETED, 2)));
        events.add(
            InstanceEvent.of(
                x, new MigrationReported(id, MigrationSide.SOURCE, MigrationState.COMPLETED, 2)));
        events.add(InstanceEvent.of(x, new VmmReported(vmm, VmmState.DESTROYED, 3)));
        vmm = target;
      }
      harness.publish(events);
      EventPosition poison =
          harness.publishPoison(x.toString().getBytes(StandardCharsets.UTF_8), new byte[] {1, 2});
      Projector first = harness.startReady("p1");
      harness.awaitCaughtUp();
      harness.assertMatchesOracle();
      int written = harness.readAll(harness.topics().mappings()).size();
      assertThat(harness.readAll(harness.topics().dlq())).hasSize(1);
      first.close();
      assertThat(first.awaitTermination(Duration.ofSeconds(30))).isTrue();

      try (Admin admin = kafka.admin()) {
        Set<TopicPartition> partitions = new HashSet<>();
        for (int p = 0; p < 3; p++) {
          partitions.add(new TopicPartition(harness.topics().events(), p));
        }
        admin.deleteConsumerGroupOffsets(harness.group(), partitions).all().get();
      }
      Projector second = harness.startReady("p2");
      harness.awaitCaughtUp();

      assertThat(second.metrics().foldedCount())
          .as("every event folded again, from the beginning")
          .isEqualTo(events.size());
      assertThat(harness.readAll(harness.topics().mappings()))
          .as("nothing new written")
          .hasSize(written);
      assertThat(harness.readAll(harness.topics().dlq()))
          .as("the poison event lettered again, under its position")
          .hasSize(2)
          .allSatisfy(
              letter ->
                  assertThat(
                          new String(
                              letter.headers().lastHeader(DeadLetters.HEADER_OFFSET).value(),
                              StandardCharsets.UTF_8))
                      .isEqualTo(String.valueOf(poison.offset())));
      if (moves <= 8) {
        harness.assertMatchesOracle();
      } else {
        InstanceState expected = harness.oracle().states().get(x);
        assertThat(harness.changelog().get(x))
            .as("the state but for pending registers of forgotten VMMs and migrations")
            .usingRecursiveComparison()
            .ignoringFields("sideReports", "vmms")
            .isEqualTo(expected);
      }
    }
  }

  private static <T> T numbered(Function<String, T> parse, int n) {
    return parse.apply(String.format("0000000e-0000-4000-8000-%012d", n));
  }

  private static byte[] badIp(InstanceId instance) {
    dev.v2pledger.schema.avro.InstanceEvent event =
        dev.v2pledger.schema.avro.InstanceEvent.newBuilder()
            .setInstanceId(instance.toString())
            .setPayload(
                new dev.v2pledger.schema.avro.NicAttached(
                    NIC.toString(), 7777, MAC.toString(), List.of("300.1.2.3"), 2L))
            .build();
    return AvroRecordCodec.forSchema(dev.v2pledger.schema.avro.InstanceEvent.getClassSchema())
        .encode(event);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static final NicId NIC = NicId.parse("11111111-2222-4333-8444-555555555555");
  private static final Vni VNI = new Vni(7777);
  private static final MacAddr MAC = MacAddr.parse("a8:40:25:f1:6e:6f");
  private static final SledId SLED_S = SledId.parse("51ed0000-0000-4000-8000-00000000000a");
  private static final SledId SLED_T = SledId.parse("51ed0000-0000-4000-8000-00000000000b");
  private static final VmmId VMM_S = VmmId.parse("0000000a-0000-4000-8000-000000000001");
  private static final VmmId VMM_T = VmmId.parse("0000000b-0000-4000-8000-000000000002");
  private static final MigrationId M1 = MigrationId.parse("00000001-0000-4000-8000-0000000000e1");

  /**
   * Kafka's own metrics of the runner's clients (its transactions' commit time, the records its
   * consumer read) are on its registry, tagged with the runner, and gone once it is closed.
   */
  @Test
  void kafkasClientMetricsAreOnTheRunnersRegistry_untilItCloses(KafkaCluster kafka) {
    Workload workload = Workload.seeded("client-meters", 10, 3);
    try (Harness harness = new Harness(kafka, "client-meters", 3, workload.context())) {
      PrometheusMeterRegistry registry = Metrics.newRegistry("projector", "p1"); // the daemon's
      Projector projector =
          harness.start(harness.config("p1", b -> b.registry(registry).kafkaClientMetrics(true)));
      harness.awaitReady(projector);
      harness.publish(workload.next(20, 10));
      harness.awaitCaughtUp();

      assertThat(registry.scrape())
          .as("Prometheus text, as the daemon serves it")
          .contains("kafka_producer_txn_commit_time_ns_total{")
          .contains("kafka_consumer_fetch_manager_records_consumed_total{")
          .contains("runner=\"p1\"");
      assertThat(registry.find("kafka.app.info.start.time.ms").tag("runner", "p1").gauges())
          .as("one per client (two producers, the group and restore consumers): ids of their own")
          .hasSize(4);

      // the producer counts it once commitTransaction returns, which the group's offsets (what
      // caught up waited for) may show before
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(total(registry, "kafka.producer.txn.commit.time.ns.total"))
                      .as("time in commitTransaction, as the producers count it")
                      .isPositive());
      assertThat(total(registry, "kafka.consumer.fetch.manager.records.consumed.total"))
          .as("events read by the group consumer, as it counts them")
          .isGreaterThanOrEqualTo(20);

      projector.close();
      assertThat(registry.find("kafka.producer.txn.commit.time.ns.total").meters()).isEmpty();
      assertThat(registry.find("kafka.consumer.fetch.manager.records.consumed.total").meters())
          .isEmpty();
      assertThat(registry.find("v2p.projector.transaction.commit").meters())
          .as("the runner's own meters stay")
          .isNotEmpty();
    }
  }

  /** The sum of the function counters named {@code name} with the tag runner=p1. */
  private static double total(MeterRegistry registry, String name) {
    return registry.find(name).tag("runner", "p1").functionCounters().stream()
        .mapToDouble(FunctionCounter::count)
        .sum();
  }

  private static Ipv6Addr underlay(int sled) {
    return new Ipv6Addr(0xfd00_1122_3344_0100L + sled, 1);
  }
}
