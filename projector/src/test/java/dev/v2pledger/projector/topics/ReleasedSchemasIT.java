package dev.v2pledger.projector.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.SchemaHistory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * init-topics' registration against a real broker whose metadata does not have {@code v2p.schemas}
 * (a topic created a moment ago, not yet known to the broker asked; here: not there at all).
 */
class ReleasedSchemasIT {
  @Test
  void aSchemasTopicNotInTheMetadata_isLookedForUntilTheTimeout_thenOneClearError(
      @TempDir Path dir) {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().baseDir(dir).start()) {
      long start = System.nanoTime();

      assertThatThrownBy(
              () -> ReleasedSchemas.register(kafka.clientConfig(), Duration.ofSeconds(1)))
          .isInstanceOf(ReleasedSchemas.NotVisibleException.class)
          .hasMessage(
              "v2p.schemas is not in the cluster's metadata within 1 s (deleted meanwhile, or not"
                  + " yet known to every broker); released schemas not registered: run"
                  + " init-topics again");
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).as("looked for until --timeout").isGreaterThan(Duration.ofMillis(800));
    }
  }

  /** The topic appears after registration looked and missed: the schemas are registered. */
  @Test
  void aSchemasTopicThatAppearsInTime_getsEveryReleasedSchema(@TempDir Path dir) {
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().baseDir(dir).start()) {
      AtomicInteger misses = new AtomicInteger();
      Runnable createOnFirstMiss =
          () -> {
            if (misses.getAndIncrement() == 0) {
              kafka.createTopics(List.of(TopicSpec.of(Topics.SCHEMAS, 1)));
            }
          };

      int registered =
          ReleasedSchemas.register(kafka.clientConfig(), Duration.ofSeconds(20), createOnFirstMiss);

      assertThat(misses).as("looked again after a miss").hasPositiveValue();
      assertThat(registered).isEqualTo(SchemaHistory.allReleased().size());
      assertThat(ReleasedSchemas.register(kafka.clientConfig(), Duration.ofSeconds(20))).isZero();
    }
  }
}
