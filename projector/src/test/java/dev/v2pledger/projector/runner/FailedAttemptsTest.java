package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What ends a run of failed attempts, when it is spent, and the pauses between them. */
class FailedAttemptsTest {
  private final FailedAttempts attempts =
      new FailedAttempts(
          ProjectorConfig.builder(Map.of("bootstrap.servers", "localhost:9092"), "p-1")
              .maxRetries(2)
              .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(350))
              .build());

  /** A failure that had read nothing past the committed positions (a poll, a begin). */
  private int failed() {
    return attempts.failed(Map.of(), Set.of());
  }

  @Test
  void failuresWithNothingCommittedBetween_spendTheRetries() {
    assertThat(failed()).isEqualTo(1);
    assertThat(failed()).isEqualTo(2);
    assertThat(attempts.exhausted()).isFalse();
    assertThat(failed()).isEqualTo(3);
    assertThat(attempts.exhausted()).as("2 retries after the first attempt").isTrue();
  }

  @Test
  void aCommitSinceTheLastFailure_endsTheRun_evenInTheStepThatFailedLater() {
    failed();
    failed();
    attempts.committed(1); // the step committed, then failed at its next commit
    assertThat(failed()).isEqualTo(1);
    attempts.committed(0); // a step that went through without a commit
    assertThat(failed()).isEqualTo(2);
  }

  /**
   * A poison in partition 2 whose transaction always fails, and healthy partitions 0 and 1 whose
   * events a poll after each rewind returns alone, so the time box commits them in between: those
   * commits do not end the run, partition 2 never moves, and the retries are spent (the old rule
   * ended the run at any commit, and the runner retried forever).
   */
  @Test
  void commitsOfOtherPartitionsOnly_doNotEndTheRun() {
    long healthy = 100;
    for (int attempt = 1; attempt <= 3; attempt++) {
      assertThat(attempts.failed(Map.of(0, healthy, 1, healthy, 2, 7L), Set.of(0, 2)))
          .as("failure %d", attempt)
          .isEqualTo(attempt);
      healthy += 5;
      attempts.committed(1); // partitions 0 and 1 only
    }
    assertThat(attempts.exhausted()).isTrue();
  }

  /**
   * The run ends once every partition the last failure had read is committed past where it stood
   * then: the events before the poison, committed, are progress; not while one of them has not
   * moved.
   */
  @Test
  void theRunEnds_onlyOnceEachPartitionOfTheFailureMovedPastWhereItFailed() {
    attempts.failed(Map.of(0, 10L, 2, 7L), Set.of(0, 2));
    attempts.committed(1);
    assertThat(attempts.failed(Map.of(0, 12L, 2, 7L), Set.of(2)))
        .as("partition 2 did not move")
        .isEqualTo(2);
    attempts.committed(1);
    assertThat(attempts.failed(Map.of(0, 12L, 2, 9L), Set.of(2)))
        .as("partition 2 committed up to 9, past 7")
        .isEqualTo(1);
    attempts.committed(1);
    assertThat(attempts.failed(Map.of(0, 15L), Set.of()))
        .as("partition 2 no longer held: not moved past 9 here")
        .isEqualTo(2);
  }

  @Test
  void settled_endsTheRun() {
    assertThat(attempts.any()).isFalse();
    failed();
    failed();
    assertThat(attempts.any()).isTrue();
    attempts.settled();
    assertThat(attempts.any()).isFalse();
    assertThat(failed()).isEqualTo(1);
  }

  @Test
  void pausesDoubleFromTheFirstUpToTheMost() {
    assertThat(attempts.backoff(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(attempts.backoff(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(attempts.backoff(3)).isEqualTo(Duration.ofMillis(350));
    assertThat(attempts.backoff(40)).isEqualTo(Duration.ofMillis(350));
  }

  @Test
  void aFirstPauseTooLongToDouble_staysAtTheMost_neverWrapsToNone() {
    Duration centuries = Duration.ofDays(365L * 300); // << 20 is past a long of milliseconds
    FailedAttempts patient =
        new FailedAttempts(
            ProjectorConfig.builder(Map.of("bootstrap.servers", "localhost:9092"), "p-1")
                .retryBackoff(centuries, centuries.multipliedBy(2))
                .build());

    assertThat(patient.backoff(1)).isEqualTo(centuries);
    assertThat(patient.backoff(21)).isEqualTo(centuries.multipliedBy(2));
  }
}
