package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.runner.Probe.Point;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.projector.testing.Workload;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How transactions open and close, against a real broker: the time box, the backlog, aborts. */
@WithKafka
class TransactionPolicyIT {
  private static final int BACKLOG = 6000;
  private static final Duration FETCH_WAIT = Duration.ofSeconds(3);

  @Test
  void givenABacklog_transactionsFillPastTheTimeBoxUpToTheBacklogLimit(KafkaCluster kafka) {
    long commits =
        commitsForABacklog(kafka, "backlog", ProjectorConfig.DEFAULT_MAX_TX_RECORDS_UNDER_BACKLOG);
    long cappedCommits =
        commitsForABacklog(kafka, "capped", ProjectorConfig.DEFAULT_MAX_TX_RECORDS);

    assertThat(commits)
        .as("commits of %d backlogged events, backlog limit 10000", BACKLOG)
        .isLessThanOrEqualTo(3);
    assertThat(cappedCommits)
        .as("commits with the backlog limit at 1000")
        .isGreaterThanOrEqualTo(BACKLOG / 1000);
  }

  /**
   * A backlog the polls do not show: fetches of at most 2 KiB a partition return far less than a
   * full poll, but the consumer knows from them how many events wait, so transactions still fill
   * (with only full polls counted, every transaction closed at the 5 ms box).
   */
  @Test
  void givenABacklogInPollsNeverFull_transactionsStillFill(KafkaCluster kafka) {
    long commits =
        commitsForABacklog(
            kafka,
            "small-fetches",
            ProjectorConfig.DEFAULT_MAX_TX_RECORDS_UNDER_BACKLOG,
            Map.of("max.partition.fetch.bytes", 2048));

    assertThat(commits) // counting full polls only: 43; the last 500 events go box by box
        .as("commits of %d backlogged events in polls of a few dozen", BACKLOG)
        .isLessThanOrEqualTo(BACKLOG / 500);
  }

  /**
   * A backlog whose last poll is full and takes the last events: the consumer then knows every
   * partition is read to its end, so that transaction commits at once instead of the next poll
   * waiting out the backlog's box for more (4 minutes here: longer than the harness waits).
   */
  @Test
  void givenABacklogEndingInAFullPoll_itsLastTransactionDoesNotWaitOutTheBacklogBox(
      KafkaCluster kafka) {
    Workload workload = Workload.seeded("full-last-poll", 100, 5);
    try (Harness harness = new Harness(kafka, "full-last-poll", 1, workload.context())) {
      harness.publish(workload.next(1000, 100)); // ten full polls of 100
      Projector projector =
          harness.start(
              harness.config(
                  "p1",
                  Map.<String, Object>of(
                      "max.poll.records", 100, "transaction.timeout.ms", 600_000),
                  b -> b.maxTxAgeUnderBacklog(Duration.ofMinutes(4))));
      harness.awaitCaughtUp();
      harness.assertMatchesOracle();
      assertThat(projector.metrics().commits())
          .as("1000 backlogged events, the backlog's limit 10000")
          .isLessThanOrEqualTo(2);
    }
  }

  private static long commitsForABacklog(KafkaCluster kafka, String name, int backlogRecords) {
    return commitsForABacklog(kafka, name, backlogRecords, Map.of());
  }

  /** Publishes a backlog, then starts a projector whose backlog transactions close on size only. */
  private static long commitsForABacklog(
      KafkaCluster kafka, String name, int backlogRecords, Map<String, Object> clients) {
    Workload workload = Workload.seeded(name, 300, 5);
    try (Harness harness = new Harness(kafka, name, 3, workload.context())) {
      harness.publish(workload.next(BACKLOG, 300));
      Map<String, Object> settings = new HashMap<>(clients);
      // room for a 20 s transaction: the backlog's box
      settings.put("transaction.timeout.ms", 60_000);
      Projector projector =
          harness.start(
              harness.config(
                  "p1",
                  settings,
                  b ->
                      b.maxTxRecordsUnderBacklog(backlogRecords)
                          .maxTxAgeUnderBacklog(Duration.ofSeconds(20))));
      harness.awaitCaughtUp();
      harness.assertMatchesOracle();
      return projector.metrics().commits();
    }
  }

  /**
   * A trickle: one transaction per event; and DESIGN "Two producers take turns": each commit is on
   * the other producer than the one before, whose markers may still be pending.
   */
  @Test
  void givenATrickle_eachEventIsCommittedInATransactionOfItsOwn_onTheProducersInTurn(
      KafkaCluster kafka) {
    Workload workload = Workload.seeded("trickle", 10, 3);
    List<String> commits = Collections.synchronizedList(new ArrayList<>());
    Probe probe =
        Probe.ofTransactionCalls(
            (transactionalId, method) -> {
              if (method.equals("commitTransaction") || method.equals("abortTransaction")) {
                commits.add(transactionalId); // an abort passes the turn too
              }
            });
    try (Harness harness = new Harness(kafka, "trickle", 3, workload.context())) {
      Projector projector = harness.start(harness.config("p1", b -> b), probe);
      harness.awaitReady(projector);
      long before = projector.metrics().commits();
      for (int i = 0; i < 5; i++) {
        harness.publish(workload.next(1, 5));
        harness.awaitCaughtUp();
      }

      harness.assertMatchesOracle();
      assertThat(projector.metrics().commits() - before).isEqualTo(5);
      List<String> log = List.copyOf(commits);
      assertThat(log).hasSizeGreaterThanOrEqualTo(5);
      for (int i = 1; i < log.size(); i++) {
        assertThat(log.get(i)).as("commit or abort %d of %s", i, log).isNotEqualTo(log.get(i - 1));
      }
    }
  }

  /**
   * The box closes after a poll's batch, not in it (DESIGN "The latency path"): the projector is
   * made late for its box (stalled before a poll, as a GC pause or a busy machine makes it) while
   * events arrive; its fetch waits for more than one (a large {@code fetch.min.bytes}, as under
   * load), the late poll returns them together, and all of them join the open transaction that is
   * committed, instead of all but the first waiting behind that commit for the next transaction.
   */
  @Test
  void givenEventsPolledPastTheBox_allOfThemJoinTheTransactionThenCommitted(KafkaCluster kafka)
      throws Exception {
    Duration box = Duration.ofMillis(300);
    Workload workload = Workload.seeded("late-poll", 30, 3);
    AtomicReference<Projector> running = new AtomicReference<>();
    AtomicBoolean armNext = new AtomicBoolean();
    AtomicBoolean armed = new AtomicBoolean();
    AtomicBoolean stallOver = new AtomicBoolean();
    CountDownLatch stalled = new CountDownLatch(1);
    CountDownLatch published = new CountDownLatch(1);
    AtomicInteger polledLate = new AtomicInteger(-1);
    AtomicLong foldedBefore = new AtomicLong(-1);
    AtomicLong foldedAtCommit = new AtomicLong(-1);
    Probe probe =
        new Probe() {
          @Override
          public void at(Point point) {
            if (point == Point.COMMITTED && polledLate.get() >= 0) {
              foldedAtCommit.compareAndSet(-1, (long) running.get().metrics().foldedCount());
            }
          }

          @Override
          public void polled(int records) {
            if (records > 0 && armNext.getAndSet(false)) {
              armed.set(true); // its events open a transaction; the next poll is late
            } else if (stallOver.get()) {
              polledLate.compareAndSet(-1, records);
            }
          }

          @Override
          public void polling() {
            if (armed.getAndSet(false)) {
              foldedBefore.set((long) running.get().metrics().foldedCount());
              stalled.countDown();
              try {
                assertThat(published.await(30, TimeUnit.SECONDS)).isTrue();
                // past the fetch's wait: the open transaction is now past its box, and the
                // fetch in flight has come back with every event published meanwhile
                Thread.sleep(FETCH_WAIT.toMillis() + 500);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              stallOver.set(true);
            }
          }
        };
    try (Harness harness = new Harness(kafka, "late-poll", 3, workload.context())) {
      Map<String, Object> fetchTogether =
          Map.of("fetch.min.bytes", 1 << 20, "fetch.max.wait.ms", (int) FETCH_WAIT.toMillis());
      running.set(harness.start(harness.config("p1", fetchTogether, b -> b.maxTxAge(box)), probe));
      harness.awaitReady(running.get());
      harness.publish(workload.next(6, 6));
      harness.awaitCaughtUp();

      armNext.set(true);
      harness.publish(workload.next(1, 6));
      assertThat(stalled.await(30, TimeUnit.SECONDS)).as("stalled before its next poll").isTrue();
      harness.publish(workload.next(3, 6));
      published.countDown();
      harness.awaitCaughtUp();

      harness.assertMatchesOracle();
      assertThat(polledLate.get())
          .as("events the late poll returned (3 published)")
          .isGreaterThanOrEqualTo(2);
      assertThat(foldedAtCommit.get() - foldedBefore.get())
          .as("events folded into the transaction committed after the late poll")
          .isEqualTo(polledLate.get());
    }
  }

  /** The transaction aborts, its states come back, and every record is still written once. */
  @Test
  void givenAnInjectedFailureAtCommit_theTransactionIsUndone(KafkaCluster kafka) {
    Workload workload = Workload.seeded("abort", 40, 5);
    AtomicInteger failuresLeft = new AtomicInteger(3);
    try (Harness harness = new Harness(kafka, "abort", 3, workload.context())) {
      harness.publish(workload.next(1000, 40));
      Projector projector =
          harness.start(
              harness.config(
                  "p1", b -> b.retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50))),
              point -> {
                if (point == Point.OFFSETS_SENT && failuresLeft.getAndDecrement() > 0) {
                  throw new TimeoutException("injected: the commit timed out");
                }
              });
      harness.publish(workload.next(1000, 40));
      harness.awaitCaughtUp();

      harness.assertMatchesOracle();
      assertThat(projector.metrics().abortCount()).isGreaterThanOrEqualTo(3);
      assertThat(projector.metrics().retryCount()).isGreaterThanOrEqualTo(3);
      assertThat(projector.failure()).isNull();
    }
  }

  /**
   * A commit that always fails stops the runner when the first attempt and {@code --max-retries}
   * retries have failed, also when the time box puts processing and commit in different steps: the
   * step that processes the rewound events again goes through, but it is not a commit and leaves
   * them open, so it does not end the run of failed attempts. When the abort fails too (as after a
   * commit that timed out), each attempt rebuilds the session, and its steps before the group's
   * first answer do not end the run either.
   */
  @ParameterizedTest(name = "abort fails too: {0}")
  @ValueSource(booleans = {false, true})
  void givenACommitThatAlwaysFails_theRunnerGivesUpAfterItsRetries(
      boolean abortFailsToo, KafkaCluster kafka) {
    String name = abortFailsToo ? "always-failing-abort" : "always-failing";
    Workload workload = Workload.seeded(name, 10, 3);
    Probe probe =
        new Probe() {
          @Override
          public void at(Point point) {
            if (point == Point.OFFSETS_SENT) {
              throw new TimeoutException("injected: the commit timed out");
            }
          }

          @Override
          public void transactionCall(String transactionalId, String method) {
            if (abortFailsToo && method.equals("abortTransaction")) {
              throw new TimeoutException("injected: the abort timed out");
            }
          }
        };
    try (Harness harness = new Harness(kafka, name, 3, workload.context())) {
      harness.publish(workload.next(20, 10));
      Projector projector =
          harness.start(
              harness.config("p1", b -> quickRetries(b).maxTxAge(Duration.ofMillis(300))), probe);

      await().atMost(Harness.DEADLINE).until(() -> projector.failure() != null);

      assertThat(projector.failure())
          .hasMessageContaining("gave up after 4 failed attempts")
          .hasMessageContaining("injected: the commit timed out");
      assertThat(projector.metrics().commits()).isZero();
    }
  }

  /**
   * A partition whose transaction always fails stops the runner after its retries, though healthy
   * partitions commit between its failures (DESIGN "Keys, versions and the projected topic"): each
   * event is a transaction of its own, and before each failure a healthy event is published to
   * another partition, which the runner commits after the rewind. Before, any commit ended the run
   * of failed attempts, and the runner retried that partition forever.
   */
  @Test
  void givenAPartitionWhoseCommitAlwaysFails_commitsOfOtherPartitionsDoNotResetTheRetries(
      KafkaCluster kafka) {
    Workload workload = Workload.seeded("poison-partition", 10, 3);
    List<String> story = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger poisoned = new AtomicInteger(-1);
    try (Harness harness = new Harness(kafka, "poison-partition", 3, workload.context())) {
      Probe probe =
          new Probe() {
            @Override
            public void at(Point point) {
              if (point == Point.COMMITTED) {
                story.add("commit");
              }
            }

            @Override
            public void sendingOffsets(Map<TopicPartition, OffsetAndMetadata> offsets) {
              int partition = poisoned.get();
              if (offsets.keySet().stream().anyMatch(tp -> tp.partition() == partition)) {
                byte[] junk = "not an event".getBytes(StandardCharsets.UTF_8);
                harness.publishTo((partition + 1) % 3, junk, junk); // dead-lettered, committed
                story.add("fail");
                throw new TimeoutException("injected: partition " + partition + " never commits");
              }
            }
          };
      Projector projector =
          harness.start(harness.config("p1", b -> quickRetries(b).maxTxRecords(1)), probe);
      harness.awaitReady(projector);
      poisoned.set(harness.publish(workload.next(1, 1)).get(0).partition());

      await().atMost(Harness.DEADLINE).until(() -> projector.failure() != null);

      assertThat(projector.failure())
          .hasMessageContaining("gave up after 4 failed attempts")
          .hasMessageContaining("never commits");
      List<String> seen = List.copyOf(story);
      assertThat(seen).as("the story").containsSubsequence("fail", "commit", "fail");
      assertThat(projector.metrics().retryCount()).as("failed attempts in all").isEqualTo(4);
    }
  }

  /**
   * A run of failed attempts ends once commits moved each partition it had read past where it
   * stood: a commit that fails every other time never reaches {@code --max-retries}, however often
   * it fails in all, once the retries outnumber the partitions (a retry's poll may bring one
   * partition's events only, so a partition may see as many failures in a row as there are
   * partitions: with one retry this test stopped the runner now and then).
   */
  @Test
  void givenACommitThatFailsEveryOtherTime_theRunnerGoesOn(KafkaCluster kafka) {
    Workload workload = Workload.seeded("every-other", 20, 3);
    AtomicInteger commitsTried = new AtomicInteger();
    try (Harness harness = new Harness(kafka, "every-other", 3, workload.context())) {
      Projector projector =
          harness.start(
              harness.config("p1", b -> quickRetries(b)), // 3 retries, 3 partitions
              point -> {
                if (point == Point.OFFSETS_SENT && commitsTried.incrementAndGet() % 2 == 1) {
                  throw new TimeoutException("injected: every other commit times out");
                }
              });
      harness.awaitReady(projector);
      for (int i = 0; i < 6; i++) {
        harness.publish(workload.next(5, 20));
        harness.awaitCaughtUp();
      }

      harness.assertMatchesOracle();
      assertThat(projector.failure()).isNull();
      assertThat(projector.metrics().retryCount()).isGreaterThanOrEqualTo(6);
    }
  }

  /**
   * DESIGN "Two producers take turns": after an abort, as after a commit, the next transaction runs
   * on the other producer, whose markers are not the ones pending.
   */
  @Test
  void afterAnAbort_theNextTransactionRunsOnTheOtherProducer(KafkaCluster kafka) {
    Workload workload = Workload.seeded("turns", 20, 5);
    AtomicInteger failuresLeft = new AtomicInteger(2);
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    try (Harness harness = new Harness(kafka, "turns", 3, workload.context())) {
      harness.publish(workload.next(200, 20));
      Probe probe =
          new Probe() {
            @Override
            public void at(Point point) {
              if (point == Point.EVENT_PROCESSED && failuresLeft.getAndDecrement() > 0) {
                throw new TimeoutException("injected: a send timed out");
              }
            }

            @Override
            public void transactionCall(String transactionalId, String method) {
              calls.add(method + " " + transactionalId);
            }
          };
      Projector projector =
          harness.start(
              harness.config(
                  "p1", b -> b.retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50))),
              probe);
      harness.awaitCaughtUp();

      harness.assertMatchesOracle();
      assertThat(projector.metrics().abortCount()).isGreaterThanOrEqualTo(2);
      List<String> log = List.copyOf(calls);
      int aborts = 0;
      for (int i = 0; i < log.size(); i++) {
        if (!log.get(i).startsWith("abortTransaction ")) {
          continue;
        }
        aborts++;
        String aborted = log.get(i).substring("abortTransaction ".length());
        String next =
            log.subList(i + 1, log.size()).stream()
                .filter(call -> call.startsWith("beginTransaction "))
                .findFirst()
                .orElseThrow();
        assertThat(next)
            .as("the transaction after %s's abort, in %s", aborted, log)
            .isNotEqualTo("beginTransaction " + aborted);
      }
      assertThat(aborts).isGreaterThanOrEqualTo(2);
    }
  }

  /** Three retries, 10 to 50 ms apart. */
  private static ProjectorConfig.Builder quickRetries(ProjectorConfig.Builder b) {
    return b.maxRetries(3).retryBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
  }
}
