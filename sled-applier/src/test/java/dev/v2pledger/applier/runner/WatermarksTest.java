package dev.v2pledger.applier.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatermarksTest {

  /** After a successful pass, each partition read through its offset and that ack published. */
  private static Watermarks givenPublishedThrough(Map<Integer, Long> offsets) {
    Watermarks marks = new Watermarks();
    marks.passSucceeded();
    offsets.forEach(
        (partition, offset) -> {
          marks.advance(partition, offset);
          marks.published(partition, offset);
        });
    return marks;
  }

  @Test
  void nothingIsAckableBeforeTheFirstSuccessfulPass() {
    Watermarks marks = new Watermarks();
    marks.advance(0, 10);
    assertThat(marks.unpublished()).isEmpty();
    marks.passSucceeded();
    assertThat(marks.unpublished()).isEqualTo(Map.of(0, 10L));
  }

  @Test
  void aPassThatFailedStopsEveryWatermark_untilAPassSucceeds() {
    Watermarks marks = givenPublishedThrough(Map.of(0, 5L));

    marks.passFailed(); // e.g. XDE reloaded with an empty table, and its sets failed
    marks.advance(0, 9);
    marks.advance(1, 4);
    assertThat(marks.unpublished()).as("the device may not hold what was acked").isEmpty();

    marks.passSucceeded();
    assertThat(marks.unpublished()).isEqualTo(Map.of(0, 9L, 1, 4L));
  }

  @Test
  void aFailedDeltaHoldsItsPartitionUntilAPassSucceeds() {
    Watermarks marks = new Watermarks();
    marks.passSucceeded();
    marks.advance(0, 5);
    marks.advance(1, 7);
    marks.deltaFailed(0, 3);
    marks.deltaFailed(0, 4);
    marks.advance(0, 9);
    assertThat(marks.unpublished()).isEqualTo(Map.of(0, 3L, 1, 7L));
    marks.published(0, 3);
    marks.published(1, 7);
    assertThat(marks.unpublished()).isEmpty();

    marks.passSucceeded();
    assertThat(marks.unpublished()).isEqualTo(Map.of(0, 9L));
  }

  @Test
  void republishSendsEverythingAgain() {
    Watermarks marks = givenPublishedThrough(Map.of(0, 9L, 1, 4L));
    assertThat(marks.unpublished()).isEmpty();
    marks.republish();
    assertThat(marks.unpublished()).isEqualTo(Map.of(0, 9L, 1, 4L));
  }

  /**
   * The log was cut under the reader (an unclean leader election truncated it to 4) and the reader
   * went back there: offsets 4 to 8 hold other records now, or none yet. The watermark kept the
   * highest position, so an ack sent again after a failed send said "through 9" of records the sled
   * had not read.
   */
  @Test
  void aPositionThatGoesBack_takesTheWatermarkBack_andItIsPublishedAgain() {
    Watermarks marks = new Watermarks();
    marks.passSucceeded();
    boolean first = marks.advance(0, 9);
    marks.published(0, 9);

    boolean wentBack = marks.advance(0, 4);
    assertThat(marks.unpublished()).isEqualTo(Map.of(0, 4L));
    marks.published(0, 4);
    marks.republish();
    assertThat(marks.unpublished()).as("sent again after a failed send").isEqualTo(Map.of(0, 4L));
    boolean forward = marks.advance(0, 6);
    assertThat(marks.unpublished()).isEqualTo(Map.of(0, 6L));
    assertThat(List.of(first, wentBack, forward)).containsExactly(false, true, false);
  }
}
