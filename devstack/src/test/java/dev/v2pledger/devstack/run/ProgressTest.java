package dev.v2pledger.devstack.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProgressTest {
  /**
   * The run stops the progress line while it is being taken (reading Kafka, which an interrupt
   * fails): nothing is printed after the stop, where the report goes.
   */
  @Test
  void stoppedWhileTakingALine_printsNothing() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    CountDownLatch taking = new CountDownLatch(1);
    CountDownLatch failed = new CountDownLatch(1);
    Progress progress =
        new Progress(
            new PrintStream(printed, true, StandardCharsets.UTF_8),
            () -> {
              taking.countDown();
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                failed.countDown();
                throw new IllegalStateException("interrupted", e); // as Kafka's InterruptException
              }
              return "never";
            });
    assertThat(taking.await(30, TimeUnit.SECONDS)).isTrue();

    progress.stop();

    assertThat(failed.getCount()).as("stop waited for the line to be given up").isZero();
    assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
  }
}
