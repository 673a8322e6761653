package dev.v2pledger.projector.runner;

import static dev.v2pledger.projector.runner.RebalanceIT.QUICK_GROUP;
import static dev.v2pledger.projector.runner.RebalanceIT.quickGroup;
import static dev.v2pledger.projector.runner.RebalanceIT.transactionState;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.runner.Probe.Point;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.projector.testing.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * Commits of a projector that is no longer the owner of its partitions (a zombie), where KIP-447's
 * fencing rests on the group metadata sent with the offsets. The broker refuses offsets whose
 * member it does not know; it accepts offsets that carry no member and no generation from anyone,
 * even while the group has members (the form of the deprecated {@code
 * sendOffsetsToTransaction(offsets, groupId)}); so the runner never sends offsets when its consumer
 * reports no generation.
 */
@WithKafka
class ZombieCommitIT {

  /** Why the runner checks: the broker takes such offsets over a live member's partitions. */
  @Test
  void theBrokerAcceptsTransactionalOffsetsWithoutAGeneration_whileTheGroupHasAMember(
      KafkaCluster kafka) throws Exception {
    String topic = "zombie-offsets";
    String group = "zombie-offsets.group";
    kafka.createTopics(List.of(TopicSpec.of(topic, 1)));
    TopicPartition partition = new TopicPartition(topic, 0);
    Map<String, Object> consumerSettings = new HashMap<>(kafka.clientConfig());
    consumerSettings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    consumerSettings.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, KafkaClients.GROUP_PROTOCOL);
    Map<String, Object> producerSettings = new HashMap<>(kafka.clientConfig());
    producerSettings.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "zombie-offsets");
    try (KafkaConsumer<byte[], byte[]> member = consumer(consumerSettings);
        KafkaProducer<byte[], byte[]> zombie =
            new KafkaProducer<>(
                producerSettings, new ByteArraySerializer(), new ByteArraySerializer());
        Admin admin = kafka.admin()) {
      joinGroup(member, topic, () -> member.assignment().contains(partition));
      ConsumerGroupMetadata live = member.groupMetadata();
      assertThat(live.generationId()).as("the member's epoch").isPositive();
      zombie.initTransactions();

      // a member that has left: refused
      ConsumerGroupMetadata gone = leftMember(consumerSettings, topic);
      zombie.beginTransaction();
      assertThatThrownBy(
              () ->
                  zombie.sendOffsetsToTransaction(
                      Map.of(partition, new OffsetAndMetadata(7)), gone))
          .isInstanceOf(CommitFailedException.class)
          .hasMessageContaining("not aware of this member");
      zombie.abortTransaction();

      // no member and no generation (what a consumer reports before it joins): accepted, over the
      // live member's partition
      zombie.beginTransaction();
      zombie.sendOffsetsToTransaction(
          Map.of(partition, new OffsetAndMetadata(42)), noGeneration(consumerSettings));
      zombie.commitTransaction();
      assertThat( // stable: the commit's markers may still be on their way (it was null once)
              admin
                  .listConsumerGroupOffsets(
                      group, new ListConsumerGroupOffsetsOptions().requireStable(true))
                  .partitionsToOffsetAndMetadata()
                  .get(10, TimeUnit.SECONDS)
                  .get(partition)
                  .offset())
          .as("the group's committed offset")
          .isEqualTo(42);
      assertThat(member.assignment()).as("still the member's").contains(partition);
    }
  }

  /**
   * The runner's consumer reports no generation at a commit (as a consumer may once it has left the
   * group): the runner sends no offsets, aborts the transaction, and goes on with new clients; the
   * events are folded again and the result is the oracle's.
   */
  @Test
  void aConsumerReportingNoGeneration_theRunnerSendsNoOffsets_andAborts(KafkaCluster kafka)
      throws Exception {
    Workload workload = Workload.seeded("ZombieCommitIT.noGeneration", 60, 6);
    Map<String, Object> groupSettings = new HashMap<>(kafka.clientConfig()); // + the group id
    AtomicBoolean armed = new AtomicBoolean();
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    // the refused commit is one whose transaction sent a mapping (its aborted records are then
    // committed again): a transaction of a few events may write none (over 20 000 seeds, the
    // first 10 of the 200 events wrote none for 3 %)
    AtomicBoolean wrote = new AtomicBoolean();
    AtomicInteger begunAt = new AtomicInteger(-1);
    AtomicInteger refusedFrom = new AtomicInteger(-1);
    // and whose mappings are in the log (uncommitted) when it is refused: an abort drops what the
    // producer has not sent yet
    AtomicReference<LongSupplier> mappingsLogged = new AtomicReference<>(() -> 0);
    AtomicLong loggedAtBegin = new AtomicLong();
    Probe noGeneration =
        new Probe() {
          @Override
          public void at(Point point) {
            if (point == Point.EVENT_PROCESSED) {
              wrote.set(true);
            }
          }

          @Override
          public void transactionCall(String transactionalId, String method) {
            if (method.equals("beginTransaction")) {
              wrote.set(false);
              begunAt.set(calls.size());
              if (armed.get()) {
                loggedAtBegin.set(mappingsLogged.get().getAsLong());
              }
            }
            calls.add(method + " " + transactionalId);
          }

          @Override
          public ConsumerGroupMetadata groupMetadata(ConsumerGroupMetadata reported) {
            boolean atCommit =
                StackWalker.getInstance()
                    .walk(
                        frames ->
                            frames.anyMatch(
                                f ->
                                    f.getClassName().equals(Transactions.class.getName())
                                        && f.getMethodName().equals("commit")));
            if (atCommit && wrote.get() && armed.compareAndSet(true, false)) {
              await()
                  .atMost(Harness.DEADLINE)
                  .until(() -> mappingsLogged.get().getAsLong() > loggedAtBegin.get());
              refusedFrom.set(begunAt.get());
              return noGeneration(groupSettings);
            }
            return reported;
          }
        };
    try (Harness harness = new Harness(kafka, "no-generation", 3, workload.context())) {
      groupSettings.put(ConsumerConfig.GROUP_ID_CONFIG, harness.group());
      mappingsLogged.set(
          () ->
              harness
                  .ends(harness.topics().mappings(), IsolationLevel.READ_UNCOMMITTED)
                  .values()
                  .stream()
                  .mapToLong(Long::longValue)
                  .sum());
      harness.publish(workload.next(300, 40));
      Projector projector = harness.start(harness.config("nogen", x -> x), noGeneration);
      harness.awaitCaughtUp();
      armed.set(true);
      harness.publish(workload.next(200, 40));
      await().atMost(Harness.DEADLINE).until(() -> !armed.get());
      harness.awaitCaughtUp();
      harness.publish(workload.next(100, 40));
      harness.awaitCaughtUp();

      List<String> all = List.copyOf(calls);
      List<String> since = all.subList(refusedFrom.get(), all.size()); // from its begin
      int abort = StallOnce.indexOf(since, "abortTransaction");
      assertThat(abort).as("an abort, in %s", since).isNotNegative();
      assertThat(since.subList(0, abort))
          .as("calls up to the abort: begun, no offsets sent, nothing committed")
          .noneMatch(c -> c.startsWith("sendOffsetsToTransaction") || c.startsWith("commit"));
      assertThat(projector.metrics().fencingCount()).as("the refused commit").isEqualTo(1);
      harness.assertMatchesOracle();
      assertThat(harness.assertAbortedRecordsAreCommittedToo())
          .as("the aborted records, committed again after the rejoin")
          .isPositive();
      assertThat(projector.failure()).isNull();
    }
  }

  /**
   * A dynamic member (no {@code group.instance.id}) stalls before its commit, past {@code
   * max.poll.interval.ms}: its group consumer leaves the group for it and a successor takes its
   * partitions and folds their events. On waking it still reports its last member id and epoch
   * (Kafka's consumer does not clear them when it leaves on its poll timer), so the broker refuses
   * its offsets as an unknown member's: the zombie aborts, and nothing it wrote becomes visible.
   * Its transaction stays open within a long {@code transaction.timeout.ms}, so that its
   * coordinator does not abort it first (the static members of {@code RebalanceIT} meet that too).
   */
  @Test
  void stalledDynamicMember_itsOffsetsAreRefused_andItAborts(KafkaCluster kafka) throws Exception {
    Workload workload = Workload.seeded("ZombieCommitIT.dynamicZombie", 60, 6);
    StallOnce stall = new StallOnce(Point.BEFORE_COMMIT);
    Map<String, Object> settings = new HashMap<>(QUICK_GROUP);
    settings.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 120_000);
    try (Harness harness = new Harness(kafka, "dynamic-zombie", 3, workload.context())) {
      harness.publish(workload.next(500, 40));
      quickGroup(harness);
      Projector old =
          harness.start(harness.config("zombie", settings, b -> b.staticMembership(false)), stall);
      harness.awaitCaughtUp();
      stall.armInATransactionThatWroteMappings(old, harness);
      harness.publish(workload.next(200, 40));
      assertThat(stall.awaitStalled()).as("the old owner stalls").isTrue();
      String stalled = stall.stalledTransaction();

      Projector successor =
          harness.start(harness.config("successor", x -> x.staticMembership(false)));
      harness.awaitReadyHolding(3, successor);
      harness.publish(workload.next(300, 40));
      harness.awaitCaughtUp(); // all by the successor, while the old owner stalls
      assertThat(transactionState(kafka, stalled))
          .as("the stalled transaction, not timed out by its coordinator")
          .isEqualTo(TransactionState.ONGOING);

      stall.wake();
      await()
          .atMost(Harness.DEADLINE)
          .until(
              () -> StallOnce.indexOf(stall.callsSinceStall(), "abortTransaction " + stalled) >= 0);
      List<String> since = stall.callsSinceStall();
      List<String> upToAbort =
          since.subList(0, StallOnce.indexOf(since, "abortTransaction " + stalled));
      assertThat(upToAbort)
          .as("the zombie's calls up to its abort: it sent its offsets, the broker refused them")
          .contains("sendOffsetsToTransaction " + stalled)
          .noneMatch(c -> c.startsWith("commitTransaction"));
      assertThat(old.metrics().fencingCount()).as("the refused offsets").isPositive();
      harness.assertExactlyOnceAfterAborts(workload.next(300, 40));
      assertThat(old.failure()).isNull();
    }
  }

  /**
   * A stalled former owner whose transaction only writes due tombstones ("Bounded growth") and the
   * state they change: it consumed no event, yet it sends its committed positions again, so the
   * broker refuses it as an unknown member's, as any other zombie commit. Without the offsets no
   * group checks such a transaction: the zombie's old copy of the state would be committed over the
   * successor's, losing the NIC the successor folded since.
   */
  @Test
  void stalledMemberWritingOnlyTombstones_itsCommitIsRefused_andTheSuccessorsStateStays(
      KafkaCluster kafka) throws Exception {
    StallOnce stall = new StallOnce(Point.BEFORE_COMMIT);
    Map<String, Object> settings = new HashMap<>(QUICK_GROUP);
    settings.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 120_000);
    try (Harness harness = new Harness(kafka, "tombstone-zombie", 1, "tombstone-zombie")) {
      quickGroup(harness);
      harness.publish(
          List.of(Events.attached(Events.A, "10.7.0.1", 1), Events.placed(Events.A, 1)));
      Projector old =
          harness.start(
              harness.config(
                  "zombie",
                  settings,
                  b -> b.staticMembership(false).retireAfter(Duration.ofSeconds(3))),
              stall);
      harness.awaitCaughtUp();
      String mappings = harness.topics().mappings();
      double written = old.metrics().count("written", mappings);
      // the detach writes one CLEARED record; the next record is its key's tombstone, 3 s later,
      // in a transaction of its own: no event is published meanwhile
      stall.arm(() -> old.metrics().count("written", mappings) > written + 1);
      harness.publish(List.of(Events.detached(Events.A)));
      assertThat(stall.awaitStalled()).as("the owner stalls committing the tombstone").isTrue();
      String stalled = stall.stalledTransaction();

      Projector successor =
          harness.start(harness.config("successor", x -> x.staticMembership(false)));
      harness.awaitReadyHolding(1, successor);
      harness.publish(List.of(Events.attached(Events.A, "10.7.0.9", 2)));
      harness.awaitCaughtUp(); // by the successor, while the old owner stalls
      await()
          .atMost(Harness.DEADLINE)
          .until(() -> harness.changelog().get(Events.A).nics().size() == 1);

      stall.wake();
      await()
          .atMost(Harness.DEADLINE)
          .until(
              () ->
                  StallOnce.indexOf(stall.callsSinceStall(), "abortTransaction " + stalled) >= 0
                      || StallOnce.indexOf(stall.callsSinceStall(), "commitTransaction " + stalled)
                          >= 0);
      assertThat(stall.callsSinceStall())
          .as("the zombie's calls: its offsets sent and refused, its transaction aborted")
          .contains("sendOffsetsToTransaction " + stalled, "abortTransaction " + stalled)
          .doesNotContain("commitTransaction " + stalled);
      assertThat(harness.changelog().get(Events.A).nics())
          .as("the instance's state is the successor's: the NIC attached after the stall")
          .singleElement()
          .satisfies(nic -> assertThat(nic.ipEpoch()).isEqualTo(2));
      assertThat(old.failure()).isNull();
    }
  }

  /** What a consumer of the group reports before it joins: no member id, generation -1. */
  private static ConsumerGroupMetadata noGeneration(Map<String, Object> settings) {
    try (KafkaConsumer<byte[], byte[]> fresh = consumer(settings)) {
      ConsumerGroupMetadata metadata = fresh.groupMetadata();
      assertThat(metadata.generationId()).isNegative();
      assertThat(metadata.memberId()).isEmpty();
      return metadata;
    }
  }

  /** The metadata of a member that joined the group and left it. */
  private static ConsumerGroupMetadata leftMember(Map<String, Object> settings, String topic) {
    try (KafkaConsumer<byte[], byte[]> member = consumer(settings)) {
      joinGroup(member, topic, () -> true);
      return member.groupMetadata();
    }
  }

  /** Subscribes {@code member} to {@code topic} and polls until it joined and {@code done}. */
  private static void joinGroup(
      KafkaConsumer<byte[], byte[]> member, String topic, BooleanSupplier done) {
    member.subscribe(List.of(topic));
    await()
        .atMost(Harness.DEADLINE)
        .until(
            () -> {
              member.poll(Duration.ofMillis(100));
              return member.groupMetadata().generationId() > 0 && done.getAsBoolean();
            });
  }

  private static KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> settings) {
    return new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }
}
