package dev.v2pledger.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.errors.TimeoutException;
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
}
