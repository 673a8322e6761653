package dev.v2pledger.projector.runner;

import static dev.v2pledger.projector.runner.Events.A;
import static dev.v2pledger.projector.runner.Events.B;
import static dev.v2pledger.projector.runner.Events.TOPIC;
import static dev.v2pledger.projector.runner.Events.attached;
import static dev.v2pledger.projector.runner.Events.placed;
import static dev.v2pledger.projector.runner.Events.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.projector.fold.Fold;
import dev.v2pledger.projector.fold.FoldResult;
import dev.v2pledger.projector.fold.InstanceState;
import dev.v2pledger.projector.metrics.ProjectorMetrics;
import dev.v2pledger.projector.runner.Probe.Point;
import dev.v2pledger.projector.state.InstanceStateCodec;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.domain.InstanceEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The transaction cycle of a session on Kafka's own client doubles: when transactions close, what
 * they hold, and what an abort puts back.
 */
class SessionTest {
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  private final AtomicLong clock = new AtomicLong();
  private final List<Point> probed = new ArrayList<>();
  private long nanosPerEvent;
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
  private final Map<Integer, Map<dev.v2pledger.schema.domain.InstanceId, InstanceState>> changelog =
      new HashMap<>();
  private Session session;

  private Session session(int maxTxRecords, Duration maxTxAge) {
    ProjectorConfig config =
        ProjectorConfig.builder(Map.of("bootstrap.servers", "127.0.0.1:1"), "unit")
            .maxTxRecords(maxTxRecords)
            .maxTxAge(maxTxAge)
            .nanoTime(clock::get)
            .probe(
                point -> {
                  probed.add(point);
                  if (point == Point.EVENT_PROCESSED) {
                    clock.addAndGet(nanosPerEvent);
                  }
                })
            .build();
    ProjectorMetrics metrics = new ProjectorMetrics(new SimpleMeterRegistry(), "unit");
    producer.initTransactions();
    KafkaClients clients =
        new KafkaClients(producer, consumer, new MockConsumer<>("earliest"), noAdmin());
    session =
        new Session(
            config,
            metrics,
            new EventProcessor(config.topics(), "unit", metrics, new Interner()),
            clients,
            partitions -> {
              Map<Integer, Map<dev.v2pledger.schema.domain.InstanceId, InstanceState>> states =
                  new HashMap<>();
              partitions.forEach(p -> states.put(p, changelog.getOrDefault(p, Map.of())));
              return new StateRestorer.Restored(states, 0);
            },
            () -> {});
    session.subscribe();
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    consumer.rebalance(List.of(P0, P1));
    return session;
  }

  @Test
  void aNewPartitionIsRestoredBeforeItsRecordsAreProcessed() {
    InstanceState known = fold(attached(A, "10.0.0.1", 1));
    changelog.put(0, Map.of(A, known));
    consumer.commitSync(Map.of(P0, new OffsetAndMetadata(5)));
    session(100, Duration.ofSeconds(1));
    assertThat(session.restoring()).containsExactly(0, 1);

    consumer.schedulePollTask(() -> consumer.addRecord(record(0, 5, placed(A, 1))));
    session.step(); // restores, then polls
    session.step(); // the empty poll commits

    assertThat(session.restoring()).isEmpty();
    assertThat(mappings()).extracting(r -> string(r.key())).containsExactly("7777/10.0.0.1/1");
    assertThat(lastOffsets()).containsEntry(P0, new OffsetAndMetadata(6));
  }

  @Test
  void aTransactionClosesWhenThePollComesBackEmpty() {
    session(100, Duration.ofSeconds(1));
    session.step();
    addRecords(record(0, 0, attached(A, "10.0.0.1", 1)), record(0, 1, placed(A, 1)));

    session.step();
    assertThat(producer.transactionInFlight()).as("records came: keep the box open").isTrue();
    session.step();

    assertThat(producer.transactionCommitted()).isTrue();
    assertThat(producer.history())
        .extracting(ProducerRecord::topic)
        .containsExactly(Topics.MAPPINGS, Topics.INSTANCE_STATE);
    assertThat(lastOffsets()).containsExactly(Map.entry(P0, new OffsetAndMetadata(2)));
    assertThat(probed)
        .containsSubsequence(
            Point.EVENT_PROCESSED,
            Point.EVENT_PROCESSED,
            Point.BEFORE_COMMIT,
            Point.STATE_WRITTEN,
            Point.OFFSETS_SENT,
            Point.COMMITTED);
  }

  @Test
  void aTransactionClosesWhenItHoldsMaxRecords() {
    session(2, Duration.ofSeconds(1));
    session.step();
    addRecords(
        record(0, 0, attached(A, "10.0.0.1", 1)),
        record(0, 1, placed(A, 1)),
        record(1, 0, attached(B, "10.0.0.2", 2)),
        record(1, 1, placed(B, 2)),
        record(1, 2, placed(B, 3)));

    session.step();

    assertThat(producer.consumerGroupOffsetsHistory()).hasSize(2);
    assertThat(producer.transactionInFlight()).as("the fifth event's box is open").isTrue();
  }

  @Test
  void aTransactionClosesWhenItIsMaxAgeOld() {
    session(100, Duration.ofMillis(5));
    session.step();
    addRecords(
        record(0, 0, attached(A, "10.0.0.1", 1)),
        record(0, 1, placed(A, 1)),
        record(0, 2, placed(A, 2)));
    nanosPerEvent = 3_000_000; // each event takes 3 ms

    session.step();

    assertThat(producer.consumerGroupOffsetsHistory())
        .as("committed after the second event, at 6 ms")
        .singleElement()
        .satisfies(
            o ->
                assertThat(o.values().iterator().next())
                    .containsEntry(P0, new OffsetAndMetadata(2)));
  }

  @Test
  void withAMaximumAgeOfZeroEachPollBatchIsOneTransaction() {
    session(100, Duration.ZERO);
    session.step();
    addRecords(record(0, 0, attached(A, "10.0.0.1", 1)), record(0, 1, placed(A, 1)));
    addRecords(record(0, 2, placed(A, 2)));

    session.step();
    session.step();

    assertThat(producer.consumerGroupOffsetsHistory()).hasSize(2);
    assertThat(lastOffsets()).containsEntry(P0, new OffsetAndMetadata(3));
    assertThat(producer.transactionInFlight()).isFalse();
  }

  @Test
  void aFailedCommitIsAborted_theStatesItChangedComeBack_andItsEventsAreProcessedAgainOnce() {
    session(100, Duration.ofSeconds(1));
    session.step();
    addRecords(record(0, 0, attached(A, "10.0.0.1", 1)));
    session.step();
    session.step(); // committed: A has a NIC
    InstanceState committed = fold(attached(A, "10.0.0.1", 1));
    List<ConsumerRecord<byte[], byte[]>> batch =
        List.of(record(0, 1, placed(A, 1)), record(0, 2, attached(A, "10.0.0.1", 4)));
    addRecords(batch);
    session.step();
    producer.commitTransactionException = new TimeoutException("commit timed out");

    assertThatThrownBy(session::step).isInstanceOf(TimeoutException.class);
    boolean clean = session.abortAndRewind();

    assertThat(clean).isTrue();
    assertThat(producer.transactionAborted()).isTrue();
    assertThat(consumer.position(P0)).as("rewound to the committed offset").isEqualTo(1);

    producer.commitTransactionException = null;
    addRecords(batch); // the broker delivers them again
    session.step();
    session.step();

    // had the abort not put A's committed state back, both events would now be duplicates
    FoldResult first = Fold.apply(committed, placed(A, 1));
    FoldResult second = Fold.apply(first.state(), attached(A, "10.0.0.1", 4));
    List<String> expected = new ArrayList<>();
    first.records().forEach(m -> expected.add(m.key() + " " + m.state()));
    second.records().forEach(m -> expected.add(m.key() + " " + m.state()));
    assertThat(expected).hasSize(3);
    assertThat(mappings())
        .extracting(r -> mapping(r))
        .as("each record once: the aborted ones are gone")
        .containsExactlyElementsOf(expected);
    assertThat(lastState()).isEqualTo(second.state());
  }

  @Test
  void revokedPartitionsAreCommittedFirst_thenDropped() {
    session(100, Duration.ofSeconds(1));
    session.step();
    addRecords(record(0, 0, attached(A, "10.0.0.1", 1)), record(1, 0, attached(B, "10.0.0.2", 2)));
    session.step();
    assertThat(producer.transactionInFlight()).isTrue();

    consumer.rebalance(List.of(P0));

    assertThat(producer.transactionCommitted()).isTrue();
    assertThat(lastOffsets())
        .containsEntry(P0, new OffsetAndMetadata(1))
        .containsEntry(P1, new OffsetAndMetadata(1));
    assertThat(session.assigned()).containsExactly(0);
    assertThat(session.instances()).isEqualTo(1);
  }

  @Test
  void lostPartitionsAbortTheOpenTransaction() {
    session(100, Duration.ofSeconds(1));
    session.step();
    addRecords(record(0, 0, attached(A, "10.0.0.1", 1)), record(1, 0, attached(B, "10.0.0.2", 2)));
    session.step();

    session.onPartitionsLost(List.of(P1));

    assertThat(producer.transactionAborted()).isTrue();
    assertThat(session.assigned()).containsExactly(0);
    assertThat(session.instances()).as("A's change was undone, B's partition dropped").isZero();
    assertThat(consumer.position(P0)).isZero();
  }

  @SafeVarargs
  private void addRecords(ConsumerRecord<byte[], byte[]>... records) {
    List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      list.add(record);
    }
    addRecords(list);
  }

  private void addRecords(List<ConsumerRecord<byte[], byte[]>> records) {
    consumer.schedulePollTask(
        () -> {
          for (ConsumerRecord<byte[], byte[]> r : records) {
            consumer.addRecord(r);
          }
        });
  }

  private static InstanceState fold(InstanceEvent event) {
    return Fold.apply(InstanceState.empty(event.instanceId()), event).state();
  }

  private List<ProducerRecord<byte[], byte[]>> mappings() {
    return producer.history().stream().filter(r -> r.topic().equals(Topics.MAPPINGS)).toList();
  }

  private InstanceState lastState() {
    List<ProducerRecord<byte[], byte[]>> states =
        producer.history().stream().filter(r -> r.topic().equals(Topics.INSTANCE_STATE)).toList();
    return new InstanceStateCodec()
        .decode(states.get(states.size() - 1).value(), RecordOrigin.UNKNOWN);
  }

  private Map<TopicPartition, OffsetAndMetadata> lastOffsets() {
    List<Map<String, Map<TopicPartition, OffsetAndMetadata>>> history =
        producer.consumerGroupOffsetsHistory();
    return history.get(history.size() - 1).values().iterator().next();
  }

  private static String mapping(ProducerRecord<byte[], byte[]> record) {
    var mapping = new MappingCodec().decode(record.value(), RecordOrigin.UNKNOWN).mapping();
    return mapping.key() + " " + mapping.state();
  }

  private static String string(byte[] bytes) {
    return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Admin noAdmin() {
    return (Admin)
        Proxy.newProxyInstance(
            Admin.class.getClassLoader(),
            new Class<?>[] {Admin.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                return null;
              }
              throw new UnsupportedOperationException("no admin in unit tests");
            });
  }
}
