package dev.v2pledger.schema;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.utils.Utils;

/**
 * The partitioner is part of the publishers' contract (README "Publishing an event"): an event
 * belongs in partition {@code toPositive(murmur2(key)) % partitions} of {@code v2p.events}, with
 * the key the instance id as UTF-8 text. That is what Java's default partitioner computes for a
 * keyed record; librdkafka clients (Rust, Python, Go, kcat) need {@code partitioner=murmur2_random}
 * (its default, CRC32, puts an instance's events elsewhere). The changelog is co-partitioned the
 * same way.
 */
public final class Partitioning {
  private Partitioning() {}

  /** The partition a record with this key belongs in, of {@code partitions}. */
  public static int partitionOf(byte[] key, int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("a topic has at least one partition, got " + partitions);
    }
    return Utils.toPositive(Utils.murmur2(key)) % partitions;
  }

  /** As {@link #partitionOf(byte[], int)} for a key given as text. */
  public static int partitionOf(String key, int partitions) {
    return partitionOf(key.getBytes(StandardCharsets.UTF_8), partitions);
  }

  /**
   * Refuses Kafka client settings under which a producer would put a keyed record elsewhere than
   * {@link #partitionOf}: {@code partitioner.class}, and {@code partitioner.ignore.keys} but false.
   * Our producers (an event publisher, the projector writing {@code v2p.mappings}) rely on a key's
   * records being in its one partition.
   *
   * @throws IllegalArgumentException one line naming the setting
   */
  public static void refuseOtherPartitioners(Map<String, ?> kafka) {
    String why =
        " is not supported: a record goes to its key's partition, murmur2 as Kafka's built-in"
            + " partitioner computes it (an instance's events, a mapping key's records, each in"
            + " one partition)";
    if (kafka.containsKey(ProducerConfig.PARTITIONER_CLASS_CONFIG)) {
      throw new IllegalArgumentException(ProducerConfig.PARTITIONER_CLASS_CONFIG + why);
    }
    Object ignoreKeys = kafka.get(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG);
    if (ignoreKeys != null && !"false".equalsIgnoreCase(ignoreKeys.toString().trim())) {
      throw new IllegalArgumentException(
          ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG + "=" + ignoreKeys + why);
    }
  }
}
