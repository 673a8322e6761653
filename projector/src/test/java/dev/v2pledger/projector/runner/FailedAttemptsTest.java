package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What ends a run of failed attempts, when it is spent, and the pauses between them. */
class FailedAttemptsTest {
  private final FailedAttempts attempts =
      new FailedAttempts(
          ProjectorConfig.builder(Map.of("bootstrap.servers", "localhost:9092"), "p-1")
              .maxRetries(2)
              .retryBackoff(Duration.ofMillis(100), Duration.ofMillis(350))
              .build());

  @Test
  void failuresWithNothingCommittedBetween_spendTheRetries() {
    assertThat(attempts.failed()).isEqualTo(1);
    assertThat(attempts.failed()).isEqualTo(2);
    assertThat(attempts.exhausted()).isFalse();
    assertThat(attempts.failed()).isEqualTo(3);
    assertThat(attempts.exhausted()).as("2 retries after the first attempt").isTrue();
  }

  @Test
  void aCommitSinceTheLastFailure_endsTheRun_evenInTheStepThatFailedLater() {
    attempts.failed();
    attempts.failed();
    attempts.committed(1); // the step committed, then failed at its next commit
    assertThat(attempts.failed()).isEqualTo(1);
    attempts.committed(0); // a step that went through without a commit
    assertThat(attempts.failed()).isEqualTo(2);
  }

  @Test
  void settled_endsTheRun() {
    assertThat(attempts.any()).isFalse();
    attempts.failed();
    attempts.failed();
    assertThat(attempts.any()).isTrue();
    attempts.settled();
    assertThat(attempts.any()).isFalse();
    assertThat(attempts.failed()).isEqualTo(1);
  }

  @Test
  void pausesDoubleFromTheFirstUpToTheMost() {
    assertThat(attempts.backoff(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(attempts.backoff(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(attempts.backoff(3)).isEqualTo(Duration.ofMillis(350));
    assertThat(attempts.backoff(40)).isEqualTo(Duration.ofMillis(350));
  }
}
