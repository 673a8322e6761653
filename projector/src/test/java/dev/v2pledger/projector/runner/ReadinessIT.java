package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.runner.Probe.Point;
import dev.v2pledger.projector.runner.ProjectorStatus.Phase;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.projector.testing.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@code /readyz} in a group that changes: a new member is not ready until it holds the partitions
 * the group assigns to it (its first answer is what is free, often nothing), while a standby, to
 * which the group assigns nothing, is ready holding nothing.
 */
@WithKafka
class ReadinessIT {

  /**
   * The owner of every partition stalls, so it cannot give any away: the new member holds nothing
   * for as long. It must not look ready then, or a rollout waiting on it would stop the owner
   * before anyone took its partitions over.
   */
  @Test
  void aNewMember_isNotReadyUntilItHoldsItsShare(KafkaCluster kafka) throws Exception {
    Workload workload = Workload.seeded("ReadinessIT.newMember", 60, 6);
    StallOnce stall = new StallOnce(Point.EVENT_PROCESSED);
    try (Harness harness = new Harness(kafka, "readiness-new", 6, workload.context())) {
      harness.publish(workload.next(300, 40));
      Projector owner = harness.start(harness.config("owner", x -> x), stall);
      harness.awaitReady(owner);
      harness.awaitCaughtUp();
      stall.arm(() -> true);
      harness.publish(workload.next(10, 40));
      // events until one writes a mapping (the stall's point): a seed's next few may write none
      for (int round = 1; !stall.awaitStalled(5, TimeUnit.SECONDS); round++) {
        assertThat(round).as("the owner stalls within 6 rounds of 10 events").isLessThan(6);
        harness.publish(workload.next(10, 40));
      }
      Projector newcomer;
      List<ProjectorStatus> seen;
      try {
        newcomer = harness.start("newcomer");
        seen = whileWaitingForItsShare(newcomer);
      } finally {
        stall.wake();
      }
      assertThat(seen)
          .as("the newcomer's statuses while the owner stalled")
          .allSatisfy(status -> assertThat(status.assigned()).isEmpty())
          .allSatisfy(status -> assertThat(status.readinessProblem()).isNotNull());
      assertThat(seen.get(seen.size() - 1).readinessProblem())
          .as("what it waits for")
          .matches("waiting for partitions \\[\\d, \\d, \\d\\] that the group assigns to it");

      harness.awaitReadyHolding(3, newcomer);
      harness.publish(workload.next(100, 40));
      harness.awaitCaughtUp();
      harness.assertMatchesOracle();
      assertThat(owner.failure()).isNull();
    }
  }

  /**
   * A member stalls past {@code max.poll.interval.ms} right before it begins a transaction; the
   * group gives its partitions to the other, which then stalls too. Waking, the first member loses
   * its partitions in {@code onPartitionsLost} (its session goes on: the abort works) and joins
   * again as a new member, whose share the stalled other one holds: it is not ready until it gets
   * it back, though it held its share before.
   */
  @Test
  void aMemberThatLostItsPartitions_isNotReadyUntilItHoldsItsShareAgain(KafkaCluster kafka)
      throws Exception {
    Workload workload = Workload.seeded("ReadinessIT.rejoined", 60, 6);
    StallOnce beforeBegin = new StallOnce("beginTransaction");
    StallOnce other = new StallOnce(Point.EVENT_PROCESSED);
    try (Harness harness = new Harness(kafka, "readiness-rejoined", 6, workload.context())) {
      harness.publish(workload.next(300, 40));
      RebalanceIT.quickGroup(harness);
      // a time box long enough that the transaction begun on waking is open at the next poll,
      // which then finds the partitions lost (RebalanceIT's lost-partitions test)
      Projector lost =
          harness.start(
              harness.config(
                  "lost",
                  RebalanceIT.QUICK_GROUP,
                  b ->
                      b.maxTxAge(Duration.ofSeconds(2))
                          .maxTxAgeUnderBacklog(Duration.ofSeconds(2))),
              beforeBegin);
      Projector keeper = harness.start(harness.config("keeper", x -> x), other);
      harness.awaitReadyHolding(3, lost, keeper);
      harness.awaitCaughtUp();
      beforeBegin.arm(() -> true);
      harness.publish(workload.next(20, 40));
      // events until one lands on the first member's partitions: a seed's 20 may all go to the
      // other's (-Dv2p.seed=7089208915751282944: partitions 3 to 5 only)
      for (int round = 1; !beforeBegin.awaitStalled(5, TimeUnit.SECONDS); round++) {
        assertThat(round).as("the first member stalls within 6 rounds of 20 events").isLessThan(6);
        harness.publish(workload.next(20, 40));
      }
      harness.awaitReadyHolding(6, keeper);
      other.arm(() -> true);
      harness.publish(workload.next(20, 40));
      // events until one writes a mapping (the stall's point): a seed's next 20 may write none
      // (-Dv2p.seed=7628684548587601653 did)
      for (int round = 1; !other.awaitStalled(5, TimeUnit.SECONDS); round++) {
        assertThat(round).as("the other one stalls within 6 rounds of 20 events").isLessThan(6);
        harness.publish(workload.next(20, 40));
      }
      List<ProjectorStatus> seen;
      try {
        beforeBegin.wake();
        await().atMost(Harness.DEADLINE).until(() -> lost.status().assigned().isEmpty());
        seen = whileWaitingForItsShare(lost);
      } finally {
        beforeBegin.wake();
        other.wake();
      }
      assertThat(seen)
          .as("the member's statuses after it lost its partitions, while the other one stalled")
          .allSatisfy(status -> assertThat(status.readinessProblem()).isNotNull());

      harness.awaitReadyHolding(3, lost);
      harness.publish(workload.next(100, 40));
      harness.awaitCaughtUp();
      harness.assertMatchesOracle();
      assertThat(lost.failure()).isNull();
      assertThat(keeper.failure()).isNull();
    }
  }

  /**
   * {@code projector}'s statuses until it says it waits for partitions the group assigns to it, and
   * for 2 s more; fails if it never says so.
   */
  private static List<ProjectorStatus> whileWaitingForItsShare(Projector projector) {
    List<ProjectorStatus> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Harness.DEADLINE.toNanos();
    boolean waiting = false;
    long until = 0;
    while (!waiting || System.nanoTime() - until < 0) {
      ProjectorStatus status = projector.status();
      seen.add(status);
      if (!waiting
          && status.phase() == Phase.AWAITING_SHARE
          && String.valueOf(status.problem()).startsWith("waiting for partitions [")) {
        waiting = true;
        until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      }
      assertThat(System.nanoTime() - deadline)
          .as("%s waits for its share, in %s", projector.instanceId(), status)
          .isNegative();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    return seen;
  }

  /** Three members, two partitions: the one the group gives nothing is a standby, and ready. */
  @Test
  void aStandby_isReadyHoldingNothing(KafkaCluster kafka) {
    Workload workload = Workload.seeded("ReadinessIT.standby", 20, 2);
    try (Harness harness = new Harness(kafka, "readiness-standby", 2, workload.context())) {
      harness.publish(workload.next(100, 20));
      Projector a = harness.start("a");
      Projector b = harness.start("b");
      harness.awaitReadyHolding(1, a, b);
      Projector standby = harness.start("standby");
      await()
          .atMost(Harness.DEADLINE)
          .pollDelay(Duration.ofMillis(500)) // past the group's first answer, also empty
          .until(
              () ->
                  standby.readinessProblem() == null && standby.status().phase() == Phase.RUNNING);
      assertThat(standby.status().assigned()).isEmpty();
      assertThat(a.status().assigned().size() + b.status().assigned().size()).isEqualTo(2);
      harness.publish(workload.next(100, 20));
      harness.awaitCaughtUp();
      harness.assertMatchesOracle();
    }
  }
}
