package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.ProcessCluster;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.projector.testing.Workload;
import dev.v2pledger.schema.testing.Seeds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker of three killed with {@code kill -9} while a projector folds a steady stream: first the
 * coordinator of the projector's transactions, then (once the first is back) the coordinator of its
 * group. Stock brokers, each in a JVM of its own ({@link ProcessCluster}), every topic with 3
 * replicas and {@code min.insync.replicas=2}. The projector goes on without a restart, and what it
 * wrote is exactly once: the oracle's records, each once, and nothing an aborted transaction wrote
 * that was not committed identically; a successor then restores from the changelog written across
 * both failovers (no hanging transaction found there) and folds on. Prints how long each failover
 * took (kill to the next commit).
 */
class FailoverIT {
  private static final int COMMITS_BETWEEN_KILLS = 20;

  @Test
  void coordinatorsKilled_theProjectorGoesOn_exactlyOnce(@TempDir Path dir) throws Exception {
    long seed = Seeds.pick("FailoverIT");
    Workload workload = new Workload(seed, 40, 5);
    try (ProcessCluster kafka = ProcessCluster.start(dir);
        Harness harness = new Harness(kafka, "failover", 3, Seeds.context("FailoverIT", seed))) {
      harness.publish(workload.next(300, 40));
      Projector projector = harness.startReady("p1");
      ProjectorConfig config = harness.config("p1", b -> b);
      AtomicBoolean publishing = new AtomicBoolean(true);
      AtomicReference<Throwable> publishFailure = new AtomicReference<>();
      Thread publisher =
          new Thread(
              () -> {
                try {
                  while (publishing.get()) {
                    harness.publish(workload.next(5, 40));
                    LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // a steady stream
                  }
                } catch (Throwable t) {
                  publishFailure.set(t);
                }
              },
              "publisher");
      publisher.start();
      try {
        awaitCommits(projector, COMMITS_BETWEEN_KILLS);

        int transactions = kafka.transactionCoordinator(config.transactionalIds().get(0));
        killAndAwaitProgress(kafka, projector, transactions, "transaction coordinator");
        kafka.restart(transactions);

        int group = kafka.groupCoordinator(harness.group());
        killAndAwaitProgress(kafka, projector, group, "group coordinator");
        kafka.restart(group);
      } finally {
        publishing.set(false);
        publisher.join();
      }
      assertThat(publishFailure.get()).as("publishing").isNull();
      harness.awaitCaughtUp();
      assertThat(projector.failure()).isNull();
      assertThat(projector.status().isTerminal()).isFalse();
      projector.close();
      // a successor restores what was written across both failovers, and folds on from it
      Projector successor = harness.startReady("p1");
      harness.publish(workload.next(200, 40));
      harness.awaitCaughtUp();

      harness.assertMatchesOracle();
      harness.assertAbortedRecordsAreCommittedToo();
      assertThat(successor.metrics().hangingAbortedCount()).isZero();
    }
  }

  private static void killAndAwaitProgress(
      ProcessCluster kafka, Projector projector, int broker, String role) {
    long commits = projector.metrics().commits();
    long killedAt = System.nanoTime();
    kafka.kill(broker);
    awaitCommits(projector, commits + 1);
    long firstCommitMs = (System.nanoTime() - killedAt) / 1_000_000;
    awaitCommits(projector, commits + COMMITS_BETWEEN_KILLS);
    System.out.printf(
        "FailoverIT: broker %d (%s) killed; the projector's next commit %d ms later (retried %d"
            + " times, aborted %d in all)%n",
        broker,
        role,
        firstCommitMs,
        (long) projector.metrics().retryCount(),
        (long) projector.metrics().abortCount());
  }

  private static void awaitCommits(Projector projector, long commits) {
    await()
        .atMost(Harness.DEADLINE)
        .failFast("the projector stopped", () -> projector.status().isTerminal())
        .alias("the projector has committed " + commits + " transactions")
        .until(() -> projector.metrics().commits() >= commits);
  }
}
