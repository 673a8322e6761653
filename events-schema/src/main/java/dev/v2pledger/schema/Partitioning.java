package dev.v2pledger.schema;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
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
   * {@code settings} for a producer whose keyed records must go to {@link #partitionOf} their key:
   * without {@code partitioner.class}, and with {@code partitioner.ignore.keys=false}, whatever the
   * operator's settings say (an instance's events, a mapping key's records, each in one partition).
   */
  public static Map<String, Object> keyPartitioned(Map<String, ?> settings) {
    Map<String, Object> out = new HashMap<>(settings);
    out.remove(ProducerConfig.PARTITIONER_CLASS_CONFIG);
    out.put(ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG, false);
    return out;
  }
}
