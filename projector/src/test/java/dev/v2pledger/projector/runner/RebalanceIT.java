package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.runner.Probe.Point;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.projector.testing.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several projectors share the partitions: they come and go (rebalances move partitions, revoked
 * ones are committed first, assigned ones restored), and an owner that stalls long enough to lose
 * its partitions finds, when it wakes up, that its commit is refused and nothing it wrote becomes
 * visible, or (waking with a transaction just begun) loses them in {@code onPartitionsLost} and
 * aborts there. Either way, the result is the oracle's.
 */
@WithKafka
class RebalanceIT {
  /** Short enough that a stalled member is dropped in seconds (with {@link #quickGroup}). */
  static final Map<String, Object> QUICK_GROUP =
      Map.of(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 3000);

  /** The group's session and heartbeat (group settings under the consumer group protocol). */
  static void quickGroup(Harness harness) {
    harness.groupSession(Duration.ofSeconds(3), Duration.ofMillis(300));
  }

  /**
   * A rebalance between a poll and the commit: with a long time box a transaction stays open across
   * polls, so the partitions a newcomer takes are revoked while it is open. The owner commits it in
   * {@code onPartitionsRevoked}, still the owner (KIP-447), then drops them: nothing is aborted or
   * fenced, and every event is folded once.
   */
  @Test
  void partitionsRevokedWithATransactionOpen_itIsCommittedThere_andEveryEventFoldedOnce(
      KafkaCluster kafka) throws InterruptedException {
    Workload workload = Workload.seeded("RebalanceIT.revokedOpen", 60, 6);
    List<String> revokeCommits = Collections.synchronizedList(new ArrayList<>());
    Probe probe =
        Probe.ofTransactionCalls(
            (transactionalId, method) -> {
              if (method.equals("commitTransaction") && onStack("onPartitionsRevoked")) {
                revokeCommits.add(transactionalId);
              }
            });
    try (Harness harness = new Harness(kafka, "revoked-open", 6, workload.context())) {
      harness.publish(workload.next(300, 40));
      ProjectorConfig config =
          harness.config(
              "a",
              b -> b.maxTxAge(Duration.ofSeconds(2)).maxTxAgeUnderBacklog(Duration.ofSeconds(2)));
      Projector a = harness.start(config, probe);
      harness.awaitCaughtUp();
      AtomicBoolean publishing = new AtomicBoolean(true);
      Thread publisher = // a steady trickle keeps a's transaction open (an empty poll commits)
          new Thread(
              () -> {
                while (publishing.get()) {
                  harness.publish(workload.next(2, 40));
                  LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
              },
              "trickle");
      publisher.start();
      Projector b;
      try {
        b = harness.start("b");
        Projector joined = b;
        await()
            .atMost(Harness.DEADLINE)
            .until(
                () ->
                    !revokeCommits.isEmpty()
                        && !joined.status().assigned().isEmpty()
                        && joined.readinessProblem() == null);
      } finally {
        publishing.set(false);
        publisher.join();
      }
      harness.awaitCaughtUp();

      harness.assertMatchesOracle();
      assertThat(a.metrics().count("rebalances", "revoked")).isPositive();
      assertThat(a.metrics().fencingCount() + b.metrics().fencingCount()).isZero();
      if (a.metrics().abortCount() + b.metrics().abortCount() == 0) { // no unrelated retry
        assertThat(a.metrics().foldedCount() + b.metrics().foldedCount())
            .as("every event folded once")
            .isEqualTo(harness.oracle().events());
      }
    }
  }

  private static boolean onStack(String sessionMethod) {
    return StackWalker.getInstance()
        .walk(
            frames ->
                frames.anyMatch(
                    frame ->
                        frame.getClassName().equals(Session.class.getName())
                            && frame.getMethodName().equals(sessionMethod)));
  }

  @Test
  void projectorsComingAndGoingShareThePartitions_resultEqualsTheOracle(KafkaCluster kafka) {
    Workload workload = Workload.seeded("RebalanceIT.comingAndGoing", 60, 6);
    try (Harness harness = new Harness(kafka, "share", 6, workload.context())) {
      harness.publish(workload.next(600, 40));
      Projector a = harness.startReady("a");
      harness.publish(workload.next(600, 40));
      Projector b = harness.start("b");
      awaitSplit(harness, a, b);
      harness.publish(workload.next(600, 40));
      Projector c = harness.start("c");
      awaitSplit(harness, a, b, c);
      harness.publish(workload.next(600, 40));
      b.close(); // leaves the group: a and c take its partitions at once
      awaitSplit(harness, a, c);
      harness.publish(workload.next(600, 40));
      harness.awaitCaughtUp();

      harness.assertMatchesOracle();
      assertThat(a.metrics().count("rebalances", "revoked")).isPositive();
      double folded =
          a.metrics().foldedCount() + b.metrics().foldedCount() + c.metrics().foldedCount();
      double refused =
          a.metrics().fencingCount() + b.metrics().fencingCount() + c.metrics().fencingCount();
      if (refused == 0) {
        assertThat(folded)
            .as("events folded by the three, each once (no commit was refused)")
            .isEqualTo(harness.oracle().events());
      } else {
        // a rebalance completed between a member's poll and its commit: the commit was refused,
        // the transaction aborted, and the new owner folded its events again
        assertThat(folded).isGreaterThan(harness.oracle().events());
        harness.assertAbortedRecordsAreCommittedToo();
      }
    }
  }

  /**
   * The owner stalls at {@code stallAt}: before its commit, after it sent its changed states to the
   * changelog, or after it sent its offsets. A successor restores only once the stalled owner's
   * transaction is no longer open (DESIGN "Partitions and topology", restore): its offsets would be
   * pending, its states past the changelog's last stable offset.
   */
  @ParameterizedTest
  @EnumSource(
      value = Point.class,
      names = {"BEFORE_COMMIT", "STATE_WRITTEN", "OFFSETS_SENT"})
  void stalledOwnerLosesItsPartitions_itsCommitIsRefusedAndNothingItWroteIsVisible(
      Point stallAt, KafkaCluster kafka) throws Exception {
    Workload workload = Workload.seeded("RebalanceIT.stalledOwner", 60, 6);
    StallOnce stall = new StallOnce(stallAt);
    String run = "stall-" + stallAt.name().toLowerCase(Locale.ROOT).replace('_', '-');
    try (Harness harness = new Harness(kafka, run, 3, workload.context())) {
      harness.publish(workload.next(500, 40));
      quickGroup(harness);
      Projector old = harness.start(harness.config(run + "-old", QUICK_GROUP, x -> x), stall);
      harness.awaitCaughtUp();
      stall.armInATransactionThatWroteMappings(old, harness);
      harness.publish(workload.next(200, 40));
      assertThat(stall.awaitStalled()).as("the old owner stalls").isTrue();

      Projector successor = harness.start(harness.config(run + "-new", QUICK_GROUP, x -> x));
      harness.awaitReadyHolding(3, successor);
      if (stallAt != Point.BEFORE_COMMIT) { // before it, nothing of the successor's is held back
        assertThat(transactionState(kafka, stall.stalledTransaction()))
            .as("the stalled owner's transaction when its successor had restored")
            .isNotEqualTo(TransactionState.ONGOING);
      }
      harness.publish(workload.next(300, 40));
      harness.awaitCaughtUp(); // all by the successor, while the old owner stalls
      assertThat(old.metrics().fencingCount()).isZero();
      double failedBefore = old.metrics().fencingCount() + old.metrics().retryCount();

      stall.wake();
      // its commit is refused: fenced (its group generation, or its producer epoch bumped when the
      // coordinator aborted the timed-out transaction), or, past OFFSETS_SENT, an invalid
      // transaction state (the coordinator had aborted it), which it retries as a new attempt
      await()
          .atMost(Harness.DEADLINE)
          .until(() -> old.metrics().fencingCount() + old.metrics().retryCount() > failedBefore);
      harness.assertExactlyOnceAfterAborts(workload.next(300, 40)); // the successor's own
      assertThat(old.status().isTerminal())
          .as("the old owner rejoined after its fencing")
          .isFalse();
    }
  }

  /**
   * The path of {@code Session.abortFailed}: {@code onPartitionsLost} runs with a transaction open
   * and its abort fails. The owner stalls past {@code max.poll.interval.ms} right before it begins
   * a transaction, so its group consumer (KIP-848) leaves the group for it and goes stale; the
   * transaction it begins on waking is young (its age counts from the begin), so the runner polls
   * again before the time box commits it (which would be refused instead, as above), and that poll
   * calls {@code onPartitionsLost} with the transaction open. The abort there fails (injected): the
   * producer's transaction state is unknown, so the runner must close the session and go on with
   * new clients, never with that producer; the result is still the oracle's.
   */
  @Test
  void partitionsLostWithATransactionOpenAndTheAbortFailing_theSessionIsRebuiltWithNewClients(
      KafkaCluster kafka) throws Exception {
    Workload workload = Workload.seeded("RebalanceIT.lostAbortFails", 60, 6);
    AtomicBoolean stallArmed = new AtomicBoolean();
    AtomicBoolean abortFailureArmed = new AtomicBoolean();
    CountDownLatch stalled = new CountDownLatch(1);
    CountDownLatch wake = new CountDownLatch(1);
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    String failedAbort = "abortTransaction in onPartitionsLost, failed";
    Probe probe =
        Probe.ofTransactionCalls(
            (transactionalId, method) -> {
              boolean inLost = onStack("onPartitionsLost");
              if (method.equals("abortTransaction")
                  && inLost
                  && abortFailureArmed.compareAndSet(true, false)) {
                calls.add(failedAbort + " " + transactionalId);
                throw new KafkaException("injected: the abort failed");
              }
              calls.add(method + (inLost ? " in onPartitionsLost " : " ") + transactionalId);
              if (method.equals("beginTransaction") && stallArmed.compareAndSet(true, false)) {
                abortFailureArmed.set(true);
                stalled.countDown();
                try {
                  wake.await(60, TimeUnit.SECONDS); // a long GC pause, a frozen VM...
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            });
    try (Harness harness = new Harness(kafka, "lostabort", 3, workload.context());
        Admin admin = kafka.admin()) {
      harness.publish(workload.next(300, 40));
      quickGroup(harness);
      // a time box long enough that the transaction begun after the stall is still open when the
      // runner next polls, with or without a backlog
      ProjectorConfig config =
          harness.config(
              "lost",
              QUICK_GROUP,
              b -> b.maxTxAge(Duration.ofSeconds(2)).maxTxAgeUnderBacklog(Duration.ofSeconds(2)));
      Projector projector = harness.start(config, probe);
      harness.awaitCaughtUp();
      stallArmed.set(true);
      harness.publish(workload.next(20, 40));
      assertThat(stalled.await(30, TimeUnit.SECONDS))
          .as("the owner stalls before it begins a transaction")
          .isTrue();
      try {
        // the group consumer's background thread leaves for the stalled owner once its poll
        // timer expires: a static member leaves with epoch -2 (until the group's session timeout)
        await()
            .atMost(Harness.DEADLINE)
            .until(() -> !inGroup(admin, harness.group(), projector.instanceId()));
      } finally {
        wake.countDown();
      }
      await()
          .atMost(Harness.DEADLINE)
          .until(() -> StallOnce.indexOf(List.copyOf(calls), failedAbort) >= 0);
      // two transactions at least, so both producers write one after the failed abort
      harness.publish(workload.next(150, 40));
      harness.awaitCaughtUp();
      harness.publish(workload.next(150, 40));
      harness.awaitCaughtUp();

      harness.assertMatchesOracle();
      List<String> log = List.copyOf(calls);
      int failed = StallOnce.indexOf(log, failedAbort);
      assertThat(failed)
          .as("an abort in onPartitionsLost (so with a transaction open) failed, in %s", log)
          .isNotNegative();
      String aborted = log.get(failed).substring(failedAbort.length() + 1);
      assertThat(log.get(failed - 1))
          .as("the transaction begun after the stall, still open, is the one aborted, in %s", log)
          .isEqualTo("beginTransaction " + aborted);
      assertThat(log.subList(failed + 1, Math.min(failed + 3, log.size())))
          .as("the transaction calls right after the failed abort: new clients', in %s", log)
          .containsExactlyInAnyOrderElementsOf(
              config.transactionalIds().stream().map(id -> "initTransactions " + id).toList());
      assertThat(log.subList(failed + 1, log.size()))
          .as("both producers committed after the failed abort, in %s", log)
          .containsAll(
              config.transactionalIds().stream().map(id -> "commitTransaction " + id).toList());
      assertThat(projector.metrics().count("rebalances", "lost")).isPositive();
      assertThat(projector.metrics().retryCount()).isPositive();
      assertThat(projector.metrics().fencingCount())
          .as("the lost partitions were handled in onPartitionsLost, not by a refused commit")
          .isZero();
      assertThat(projector.failure()).isNull();
      assertThat(projector.status().isTerminal()).isFalse();
    }
  }

  /** Whether {@code instanceId} is a member of {@code group} that has not left it. */
  private static boolean inGroup(Admin admin, String group, String instanceId) throws Exception {
    ConsumerGroupDescription description =
        admin.describeConsumerGroups(List.of(group)).all().get().get(group);
    return description.members().stream()
        .anyMatch(
            member ->
                member.groupInstanceId().equals(Optional.of(instanceId))
                    && member.memberEpoch().orElse(0) >= 0);
  }

  static TransactionState transactionState(KafkaCluster kafka, String transactionalId)
      throws Exception {
    try (Admin admin = kafka.admin()) {
      return admin
          .describeTransactions(List.of(transactionalId))
          .description(transactionalId)
          .get(10, TimeUnit.SECONDS)
          .state();
    }
  }

  /** Waits until the projectors hold every partition between them, each at least one. */
  private static void awaitSplit(Harness harness, Projector... projectors) {
    await()
        .atMost(Harness.DEADLINE)
        .until(
            () -> {
              Set<Integer> all = new HashSet<>();
              for (Projector projector : projectors) {
                if (projector.readinessProblem() != null
                    || projector.status().assigned().isEmpty()) {
                  return false;
                }
                all.addAll(projector.status().assigned());
              }
              return all.size() == 6;
            });
  }
}
