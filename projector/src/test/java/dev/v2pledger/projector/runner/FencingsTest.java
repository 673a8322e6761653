package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What makes fencings a row, and when a row stops the runner. */
class FencingsTest {
  private final AtomicLong now = new AtomicLong(1_000);
  private final Fencings fencings = new Fencings(5, Fencings.QUIET, now::get);

  private void later(Duration duration) {
    now.addAndGet(duration.toNanos());
  }

  @Test
  void sixFencingsInQuickSuccession_stopTheRunner() {
    for (int fencing = 1; fencing <= 5; fencing++) {
      assertThat(fencings.fenced()).isEqualTo(fencing);
      assertThat(fencings.exhausted()).as("fencing %d", fencing).isFalse();
      later(Duration.ofSeconds(20)); // a twin fences us again within one rejoin
    }
    assertThat(fencings.fenced()).isEqualTo(6);
    assertThat(fencings.exhausted()).isTrue();
  }

  @Test
  void aCommit_endsTheRow() {
    fencings.fenced();
    fencings.fenced();
    fencings.committed();
    assertThat(fencings.fenced()).isEqualTo(1);
  }

  /**
   * A runner whose partitions are mostly idle never commits between fencings spread over days
   * (transactions timed out in broker failovers): each starts a new row, and it never stops.
   * Before, only a commit ended a row, and the 6th such fencing stopped it naming a twin that was
   * not there.
   */
  @Test
  void fencingsSpreadOverDays_withoutACommit_neverStopTheRunner() {
    for (int day = 1; day <= 20; day++) {
      assertThat(fencings.fenced()).as("day %d", day).isEqualTo(1);
      assertThat(fencings.exhausted()).isFalse();
      later(Duration.ofDays(1));
    }
  }

  @Test
  void aQuietPeriod_endsTheRow_aShorterPauseDoesNot() {
    fencings.fenced();
    later(Fencings.QUIET.minusSeconds(1));
    assertThat(fencings.fenced()).isEqualTo(2);
    later(Fencings.QUIET);
    assertThat(fencings.fenced()).isEqualTo(1);
  }

  /** Twins whose restores take long (max.poll.interval.ms raised for it) still stop each other. */
  @Test
  void theQuietPeriodIsTwiceTheLongestRestoreAPollAllows_tenMinutesAtLeast() {
    assertThat(Fencings.quietFor(Map.of())).isEqualTo(Fencings.QUIET);
    assertThat(Fencings.quietFor(Map.of("max.poll.interval.ms", "1800000")))
        .isEqualTo(Duration.ofHours(1));
    assertThat(Fencings.quietFor(Map.of("max.poll.interval.ms", 60_000))).isEqualTo(Fencings.QUIET);
  }
}
