package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.state.InstanceStateCodec;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.runner.ProjectorStatus.Phase;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.schema.avro.InstanceStateRecord;
import dev.v2pledger.schema.codec.AvroRecordCodec;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.RecordOrigin;
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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The retried branch of the restore: a state in the changelog whose writer schema is not in this
 * build (decoded through {@code v2p.schemas}) while the registry cannot be read. Such a failure is
 * transient: the restore is tried again, with the runner's backoff, until the registry answers;
 * nothing is folded, published or written before the state is restored, and the restored state is
 * the one in the changelog (never an empty one).
 */
@WithKafka
class RestoreRetryIT {
  static final InstanceId ID = InstanceId.parse("cccccccc-0000-4000-8000-0000000000c1");
  static final Vni VNI = new Vni(7777);
  static final SledId SLED = SledId.parse("51ed0000-0000-4000-8000-00000000000a");
  static final VmmId VMM = VmmId.parse("0000000a-0000-4000-8000-000000000001");

  /**
   * A writer schema of InstanceStateRecord this build was not released with: the same fields in
   * reverse order. Another fingerprint, compatible, and nothing this build would drop writing the
   * state back: the registry's schema is all the restore needs to read it.
   */
  static final Schema OTHER_WRITER = reversed(InstanceStateRecord.getClassSchema());

  private static List<InstanceEvent> started(InstanceId id) {
    return List.of(
        InstanceEvent.of(
                id,
                new NicAttached(
                    NicId.parse("11111111-2222-4333-8444-555555555551"),
                    VNI,
                    MacAddr.parse("a8:40:25:f1:6e:61"),
                    List.of(IpAddr.parse("10.12.0.1")),
                    1))
            .withInstanceGen(1),
        InstanceEvent.of(id, new VmmPlaced(VMM, SLED, Ipv6Addr.parse("fd00::1")))
            .withInstanceGen(2));
  }

  /**
   * A second NIC: on the restored state (a VMM placed) it publishes a mapping; folded on an empty
   * state (no VMM) it would publish none.
   */
  private static InstanceEvent secondNic(InstanceId id) {
    return InstanceEvent.of(
            id,
            new NicAttached(
                NicId.parse("11111111-2222-4333-8444-555555555552"),
                VNI,
                MacAddr.parse("a8:40:25:f1:6e:62"),
                List.of(IpAddr.parse("10.12.0.2")),
                1))
        .withInstanceGen(3);
  }

  /**
   * The runner against a registry that cannot be read while it restores ({@code v2p.schemas}
   * deleted after the runner found it: {@link LogSchemas#openRetryingWhenGone} then fails the
   * lookup as retriable): the restore fails, is retried with backoff, folds and writes nothing
   * meanwhile, and once the topic is back with the schema, restores the state the changelog holds
   * and folds the waiting event on top of it.
   */
  @Test
  void registryUnreadableDuringRestore_theRestoreIsRetried_andNothingIsFoldedBeforeIt(
      KafkaCluster kafka) throws Exception {
    try (Harness harness = new Harness(kafka, "restore-retry", 1, "restore-retry")) {
      String schemasTopic = harness.topics().schemas();
      String changelogTopic = harness.topics().instanceState();
      harness.publish(started(ID));
      Projector first = harness.startReady("p1");
      harness.awaitCaughtUp();
      first.close();
      assertThat(first.awaitTermination(Duration.ofSeconds(30))).isTrue();
      InstanceState state = harness.changelog().get(ID);
      assertThat(state).isEqualTo(harness.oracle().states().get(ID));
      int mappingsBefore = harness.mappings().size();
      assertThat(harness.oracle().inForce()).hasSize(1);

      // the instance's last state, as a build with another writer schema wrote it (unregistered
      // for now: the new runner finds the topic without it, and must look it up while restoring)
      byte[] otherWriters = encode(OTHER_WRITER, state);
      assertThat(catchThrowable(() -> new InstanceStateCodec().decode(otherWriters, origin())))
          .isInstanceOf(RecordDecodeException.class)
          .hasMessageContaining("unknown schema");
      send(kafka, changelogTopic, ID, otherWriters);
      int changelogRecords = harness.readAll(changelogTopic).size();

      Gate gate = new Gate();
      Projector second =
          Projector.start(
              harness.config(
                  "p2",
                  c ->
                      c.maxRetries(1000)
                          .retryBackoff(Duration.ofMillis(50), Duration.ofMillis(500))),
              gate.factory());
      try {
        gate.awaitWaiting(); // p2 found v2p.schemas, joined, and is about to read the changelog
        try (Admin admin = kafka.admin()) {
          admin.deleteTopics(List.of(schemasTopic)).all().get(30, TimeUnit.SECONDS);
          await()
              .atMost(Harness.DEADLINE)
              .until(() -> !admin.listTopics().names().get().contains(schemasTopic));
        }
        harness.publish(List.of(secondNic(ID)));
        assertThat(harness.oracle().inForce()).as("the event adds a mapping").hasSize(2);

        gate.open(true);
        await()
            .atMost(Harness.DEADLINE)
            .until(
                () ->
                    second.metrics().retryCount() >= 2
                        || second.status().isTerminal()
                        || second.status().restoring().isEmpty());
        assertThat(second.failure()).as("a transient failure is not fatal").isNull();
        assertThat(second.status().restoring())
            .as("not restored without the registry")
            .isNotEmpty();
        gate.open(false);
        gate.awaitWaiting(); // the next attempt is held before it reads anything

        assertThat(second.failure()).isNull();
        assertThat(second.status().phase()).isEqualTo(Phase.RESTORING);
        assertThat(second.status().restoring()).containsExactly(0);
        assertThat(second.metrics().foldedCount()).isZero();
        assertThat(harness.mappings()).hasSize(mappingsBefore);
        assertThat(harness.lag()).as("the new event is not committed").isNotEmpty();
        List<ConsumerRecord<byte[], byte[]>> changelog = harness.readAll(changelogTopic);
        assertThat(changelog).as("nothing written to the changelog").hasSize(changelogRecords);
        assertThat(changelog.get(changelog.size() - 1).value()).isEqualTo(otherWriters);
        assertThat(gate.passed()).as("restore attempts, each failed").isGreaterThanOrEqualTo(2);

        kafka.createTopics(TopicSpec.of(schemasTopic, 1).withConfig("cleanup.policy", "compact"));
        try (LogSchemas registry =
            LogSchemas.open(kafka.clientConfig(), schemasTopic, Duration.ZERO)) {
          registry.register(List.of(OTHER_WRITER));
        }
        gate.open(true);
        // (not harness.awaitCaughtUp(): it knows only the projectors it started)
        await()
            .atMost(Harness.DEADLINE)
            .until(() -> second.status().isTerminal() || harness.lag().isEmpty());
        assertThat(second.failure()).isNull();
        assertThat(harness.lag()).isEmpty();

        // the waiting event folded on the restored state: its mapping, versions and the
        // changelog's last state are the oracle's
        try (LogSchemas registry =
            LogSchemas.open(kafka.clientConfig(), schemasTopic, Duration.ZERO)) {
          harness.assertMatchesOracle(registry); // the changelog still holds OTHER_WRITER's record
        }
        assertThat(harness.mappings()).hasSize(mappingsBefore + 1);
        assertThat(second.failure()).isNull();
        assertThat(second.status().phase()).isEqualTo(Phase.RUNNING);
        assertThat(second.metrics().foldedCount()).isEqualTo(1);
        assertThat(gate.passed()).as("restore attempts").isGreaterThanOrEqualTo(3);
      } finally {
        gate.open(true);
        second.close();
      }
    }
  }

  /**
   * The restorer alone, with a registry whose reads time out twice: each restore fails with a
   * transient decode error (retriable for the runner, not the fatal "does not decode"), leaves the
   * restore consumer unassigned, and the third restore returns the state the changelog holds.
   */
  @Test
  void registryReadTimingOut_failsTheRestoreTransiently_untilItAnswers(KafkaCluster kafka)
      throws Exception {
    try (Harness harness = new Harness(kafka, "restorer-timeout", 1, "restorer-timeout")) {
      String changelogTopic = harness.topics().instanceState();
      InstanceState state = Fold.applyAll(InstanceState.empty(ID), started(ID));
      send(kafka, changelogTopic, ID, encode(OTHER_WRITER, state));
      try (LogSchemas registry =
          LogSchemas.open(kafka.clientConfig(), harness.topics().schemas(), Duration.ZERO)) {
        registry.register(List.of(OTHER_WRITER));
        AtomicInteger timeouts = new AtomicInteger(2);
        AtomicInteger lookups = new AtomicInteger();
        SchemaSource flaky =
            fingerprint -> {
              lookups.incrementAndGet();
              if (timeouts.getAndDecrement() > 0) {
                throw new TimeoutException("cannot read the registry to its end in time");
              }
              return registry.find(fingerprint);
            };
        StateRestorer restorer = restorer(kafka, changelogTopic, flaky);
        ProjectorConfig config = harness.config("restorer", c -> c);
        try (Consumer<byte[], byte[]> consumer = restoreConsumer(config);
            Admin admin = kafka.admin()) {
          for (int attempt = 1; attempt <= 2; attempt++) {
            Throwable failed = catchThrowable(() -> restorer.restore(consumer, admin, List.of(0)));
            assertThat(failed)
                .as("attempt %d", attempt)
                .isInstanceOf(RecordDecodeException.class)
                .isNotInstanceOf(ProjectorFatalException.class);
            assertThat(((RecordDecodeException) failed).isTransient()).isTrue();
            assertThat(KafkaErrors.classify(failed)).isEqualTo(KafkaErrors.Kind.RETRIABLE);
            assertThat(FailedAttempts.why(failed))
                .as("the retry's log line names the state and the registry, not just a timeout")
                .contains(changelogTopic + "-0@")
                .contains("cannot be read")
                .contains("cannot read the registry to its end in time");
            assertThat(consumer.assignment()).isEmpty();
          }
          StateRestorer.Restored restored = restorer.restore(consumer, admin, List.of(0));
          assertThat(restored.states()).isEqualTo(Map.of(0, Map.of(ID, state)));
          assertThat(restored.records()).isEqualTo(1);
          assertThat(lookups).hasValue(3);
        }
        // a registry that answers "not registered" is final: the restore stops
        StateRestorer unregistered = restorer(kafka, changelogTopic, SchemaSource.none());
        try (Consumer<byte[], byte[]> consumer = restoreConsumer(config);
            Admin admin = kafka.admin()) {
          assertThatThrownBy(() -> unregistered.restore(consumer, admin, List.of(0)))
              .isInstanceOf(ProjectorFatalException.class)
              .hasMessageContaining("the changelog does not decode at " + changelogTopic);
        }
      }
    }
  }

  /** A restorer of {@code changelog} reading unknown writer schemas from {@code schemas}. */
  private static StateRestorer restorer(
      KafkaCluster kafka, String changelog, SchemaSource schemas) {
    return new StateRestorer(
        changelog,
        Duration.ofSeconds(30),
        System::nanoTime,
        () -> {},
        new Interner(),
        schemas,
        Duration.ofMinutes(1),
        kafka.bootstrapServers(),
        aborted -> {},
        new FoldedFrom(
            () -> {
              throw new AssertionError("no transaction is aborted here");
            },
            null,
            "events",
            Duration.ofSeconds(30),
            System::nanoTime));
  }

  private static Consumer<byte[], byte[]> restoreConsumer(ProjectorConfig config) {
    return new KafkaConsumer<>(
        KafkaClients.restoreConfig(config),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  /** {@code schema}'s fields in reverse order. */
  static Schema reversed(Schema schema) {
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : schema.getFields()) {
      fields.add(0, new Schema.Field(field, field.schema()));
    }
    Schema out =
        Schema.createRecord(
            schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    assertThat(SchemaNormalization.parsingFingerprint64(out))
        .isNotEqualTo(SchemaNormalization.parsingFingerprint64(schema));
    return out;
  }

  /** {@code state} as single-object bytes written with {@code writer}. */
  static byte[] encode(Schema writer, InstanceState state) {
    InstanceStateRecord record =
        AvroRecordCodec.<InstanceStateRecord>forSchema(InstanceStateRecord.getClassSchema())
            .decode(new InstanceStateCodec().encode(state), origin());
    GenericData.Record copy = new GenericData.Record(writer);
    for (Schema.Field field : record.getSchema().getFields()) {
      copy.put(field.name(), record.get(field.pos()));
    }
    try {
      ByteBuffer buffer =
          new BinaryMessageEncoder<GenericData.Record>(
                  SpecificData.getForSchema(record.getSchema()), writer)
              .encode(copy);
      byte[] out = new byte[buffer.remaining()];
      buffer.get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RecordOrigin origin() {
    return RecordOrigin.UNKNOWN;
  }

  private static void send(KafkaCluster kafka, String topic, InstanceId id, byte[] value)
      throws Exception {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            kafka.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(topic, 0, id.toString().getBytes(StandardCharsets.UTF_8), value))
          .get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Holds each restore of the runner before it reads the changelog (at the restore consumer's
   * {@code assign} of the changelog partitions) while closed: the test then knows no registry
   * lookup is under way. Counts the restores let through.
   */
  static final class Gate {
    private boolean open;
    private int waiting;
    private int passed;

    synchronized void open(boolean value) {
      open = value;
      notifyAll();
    }

    synchronized int passed() {
      return passed;
    }

    private synchronized boolean isWaiting() {
      return waiting > 0;
    }

    void awaitWaiting() {
      await().atMost(Harness.DEADLINE).until(this::isWaiting);
    }

    private synchronized void pass() {
      waiting++;
      try {
        while (!open) {
          wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptException(e);
      } finally {
        waiting--;
      }
      passed++;
    }

    ClientFactory factory() {
      return new ClientFactory() {
        @Override
        public Producer<byte[], byte[]> producer(Map<String, Object> settings) {
          return KAFKA.producer(settings);
        }

        @Override
        @SuppressWarnings("unchecked")
        public Consumer<byte[], byte[]> consumer(Map<String, Object> settings) {
          Consumer<byte[], byte[]> real = KAFKA.consumer(settings);
          if (settings.containsKey(ConsumerConfig.GROUP_ID_CONFIG)) {
            return real;
          }
          return (Consumer<byte[], byte[]>)
              Proxy.newProxyInstance(
                  Consumer.class.getClassLoader(),
                  new Class<?>[] {Consumer.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("assign") && !((Collection<?>) args[0]).isEmpty()) {
                      pass();
                    }
                    try {
                      return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
        }

        @Override
        public Admin admin(Map<String, Object> settings) {
          return KAFKA.admin(settings);
        }
      };
    }
  }
}
