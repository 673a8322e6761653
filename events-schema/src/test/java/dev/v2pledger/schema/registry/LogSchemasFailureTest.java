package dev.v2pledger.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.management.ObjectName;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

/**
 * A registry that cannot be read: the failure is remembered for the refresh interval after the read
 * ended, so the lookups meanwhile (an applier holding many records) fail at once with it instead of
 * each waiting for a read of its own.
 */
class LogSchemasFailureTest {
  @Test
  void aTimedOutRead_isRememberedForTheIntervalAfterItEnded() {
    try (LogSchemas registry =
        LogSchemas.open(
            Map.of("bootstrap.servers", "127.0.0.1:1"),
            "v2p.schemas",
            Duration.ofSeconds(3))) { // shorter than a read that times out (10 s)
      Throwable first = catchThrowable(() -> registry.find(1L));
      Throwable second = catchThrowable(() -> registry.find(2L)); // another fingerprint

      assertThat(first).isInstanceOf(TimeoutException.class);
      assertThat(second).as("no second read: the first one's failure").isSameAs(first);
    }
  }

  /**
   * A read waits up to 10 s for a broker that does not answer; {@link LogSchemas#stop} (a reader
   * that stops, from another thread) ends it at once, and every read after it, so that its thread
   * ends without waiting for the read's deadline (the applier's close waited up to 10 s for it).
   */
  @Test
  void stopEndsAReadInProgressAtOnce_andEveryLaterRead() {
    try (LogSchemas registry =
        LogSchemas.open(
            Map.of("bootstrap.servers", "127.0.0.1:1"), "v2p.schemas", Duration.ofSeconds(1))) {
      CompletableFuture<Throwable> reading =
          CompletableFuture.supplyAsync(() -> catchThrowable(() -> registry.find(1L)));
      long stoppedAt = System.nanoTime(); // the read may not have begun yet: it must end too
      registry.stop();

      assertThat(reading.join()).isInstanceOf(WakeupException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt))
          .as("ended by the stop, not by the read's own 10 s")
          .isLessThan(Duration.ofSeconds(8));
      Throwable later = catchThrowable(() -> registry.register(List.of()));
      assertThat(later).isInstanceOf(WakeupException.class);
    }
  }

  /**
   * One thread's read waits up to 10 s for a broker that does not answer; a lookup of another
   * fingerprint from another thread meanwhile answers at once, retriable, as a read that timed out
   * would (the applier holds such a record and decodes it again): it waited for that read, and so
   * the applier thread waited up to 10 s behind its held-record retrier.
   */
  @Test
  void aLookupDoesNotWaitForAnotherThreadsRead_itAnswersAtOnceRetriable() throws Exception {
    Map<String, Object> nowhere =
        Map.of("bootstrap.servers", "127.0.0.1:1", "client.id", "v2p-schemas-stuck");
    try (LogSchemas registry = LogSchemas.open(nowhere, "v2p.schemas", Duration.ofSeconds(1))) {
      CompletableFuture<Throwable> stuck =
          CompletableFuture.supplyAsync(() -> catchThrowable(() -> registry.find(1L)));
      ObjectName reader =
          new ObjectName("kafka.consumer:type=consumer-metrics,client-id=v2p-schemas-stuck");
      await() // the read has made its consumer: it holds the registry for up to 10 s
          .atMost(Duration.ofSeconds(8))
          .until(() -> ManagementFactory.getPlatformMBeanServer().isRegistered(reader));

      Throwable answer =
          assertTimeoutPreemptively(
              Duration.ofSeconds(5), // well before the stuck read's 10 s end
              () -> catchThrowable(() -> registry.find(2L)));

      assertThat(answer)
          .isInstanceOf(ReadInProgressException.class)
          .isInstanceOf(RetriableException.class)
          .hasMessageContaining("another thread is reading v2p.schemas");
      assertThat(stuck).as("the other read is still waiting for the broker").isNotDone();
      registry.stop();
      assertThat(stuck.join()).isInstanceOf(WakeupException.class);
    }
  }
}
