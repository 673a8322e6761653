package dev.v2pledger.applier.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.WakeupException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class MappingsReaderTest {
  /**
   * An applier started before init-topics waits for v2p.mappings: on a broker that creates topics
   * on demand (Kafka's default), its metadata requests must not create it, uncompacted.
   */
  @Test
  void waitingForTheTopicNeverCreatesIt_whateverTheOperatorsSettings() {
    Map<String, Object> config =
        MappingsReader.consumerConfig(
            Map.of("bootstrap.servers", "k:1", "allow.auto.create.topics", "true"), "sled-1");

    assertThat(config)
        .containsEntry("allow.auto.create.topics", false)
        .containsEntry("enable.auto.commit", false)
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("isolation.level", "read_committed")
        .doesNotContainKey("group.id");
  }

  /**
   * A wakeup between polls is absorbed (a trigger: the loop reacts after the call), but once the
   * applier stops it ends the blocking call: metadata for a broker that does not answer waits 10 s
   * (the call then returns "no topic"), offsets up to a minute, past the 30 s the applier's close
   * waits for its thread.
   */
  @Test
  void stopEndsABlockingCall() throws Exception {
    Map<String, Object> nowhere =
        Map.of("bootstrap.servers", "127.0.0.1:1", "reconnect.backoff.max.ms", 200);
    try (MappingsReader reader = new MappingsReader(nowhere, "sled-stop", null)) {
      reader.stop(); // before the call or during it: either way the call ends with it
      CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(reader::assignAll);
      Awaitility.await().atMost(Duration.ofSeconds(60)).until(stopped::isDone);
      assertThat(stopped)
          .failsWithin(Duration.ZERO)
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(WakeupException.class);
    }
  }
}
