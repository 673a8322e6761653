package dev.v2pledger.runtime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UntilStoppedTest {
  @Test
  void waitsUntilTheComponentEnds_thenClosesEachResourceOnceInOrder_skippingNullOnes()
      throws Exception {
    AtomicInteger waits = new AtomicInteger();
    List<String> closed = new ArrayList<>();

    UntilStopped.await(
        "until-stopped-test",
        timeout -> waits.incrementAndGet() == 3,
        () -> closed.add("component"),
        null,
        () -> closed.add("endpoints"));

    assertThat(waits).hasValue(3);
    assertThat(closed).containsExactly("component", "endpoints");
  }
}
