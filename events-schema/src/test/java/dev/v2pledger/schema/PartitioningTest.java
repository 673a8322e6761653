package dev.v2pledger.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class PartitioningTest {

  @Test
  void agreesWithJavasDefaultPartitionerForEveryKeyTried() {
    Random random = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      String key = new UUID(random.nextLong(), random.nextLong()).toString();
      int partitions = 1 + random.nextInt(64);
      assertThat(Partitioning.partitionOf(key, partitions))
          .as("key %s of %d partitions", key, partitions)
          .isEqualTo(
              BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), partitions));
    }
  }

  @Test
  void knownValuesForPublishersInOtherLanguages() {
    // the README lists these, so a librdkafka client can check its partitioner setting
    assertThat(Partitioning.partitionOf("8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6", 6))
        .isEqualTo(
            BuiltInPartitioner.partitionForKey(
                "8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6".getBytes(StandardCharsets.UTF_8), 6));
    assertThatThrownBy(() -> Partitioning.partitionOf("k", 0))
        .hasMessage("a topic has at least one partition, got 0");
  }

  @Test
  void keyPartitionedSettingsDropAnotherPartitionerAndKeepKeys_theRestPassesThrough() {
    Map<String, Object> settings =
        Partitioning.keyPartitioned(
            Map.of(
                "partitioner.class", "my.Own", "partitioner.ignore.keys", "true", "linger.ms", 5));

    assertThat(settings)
        .doesNotContainKey("partitioner.class")
        .containsEntry("partitioner.ignore.keys", false)
        .containsEntry("linger.ms", 5)
        .hasSize(2);
  }
}
