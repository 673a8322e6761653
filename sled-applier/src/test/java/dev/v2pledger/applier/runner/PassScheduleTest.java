package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.S;
import static dev.v2pledger.applier.testing.Records.U;
import static dev.v2pledger.applier.testing.Records.entry;
import static dev.v2pledger.applier.testing.Records.set;
import static dev.v2pledger.applier.testing.Records.vip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.domain.Vip;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PassScheduleTest {
  static final Vip A = vip("172.30.0.5");

  private final EngineFixture sled = new EngineFixture(U);
  private final PassSchedule passes = new PassSchedule(sled.engine, Duration.ofSeconds(5));

  @Test
  void givenASnapshotBeingRead_whenAPassIsRequested_thenPollsStillWaitAndThePassRunsAfterIt() {
    sled.offer(set(A, 1, 1, S));

    passes.request(); // POST /reconcile, say, while the snapshot is read
    passes.maybeReconcile();

    assertThat(passes.pollTimeout())
        .as("no pass can run before the snapshot ends: polls must not spin meanwhile")
        .isPositive();
    assertThat(sled.device.table()).isEmpty();

    sled.engine.completeSnapshot();
    assertThat(passes.pollTimeout()).as("the request is now due").isZero();
    passes.maybeReconcile();

    assertThat(sled.device.table()).containsEntry(A, entry(A, S));
    assertThat(passes.pollTimeout()).as("answered: the next pass is an interval away").isPositive();
  }
}
