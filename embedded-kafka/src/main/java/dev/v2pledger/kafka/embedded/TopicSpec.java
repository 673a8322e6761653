package dev.v2pledger.kafka.embedded;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a topic should look like: its name, partition count and topic-level configs (for example
 * {@code cleanup.policy=compact}). The replication factor is the cluster's {@code
 * default.replication.factor}.
 *
 * @param name topic name, not blank
 * @param partitions number of partitions, at least 1
 * @param configs topic-level configs; copied
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

  /** Validates and copies. */
  public TopicSpec {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("topic name must not be blank");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "topic " + name + ": partitions must be at least 1, got " + partitions);
    }
    configs = Map.copyOf(Objects.requireNonNull(configs, "configs"));
  }

  /**
   * A topic with the given partition count and no topic-level configs.
   *
   * @param name topic name
   * @param partitions partition count
   * @return the spec
   */
  public static TopicSpec of(String name, int partitions) {
    return new TopicSpec(name, partitions, Map.of());
  }

  /**
   * This spec with one more topic-level config (replacing an earlier value of the same key).
   *
   * @param key config name, e.g. {@code cleanup.policy}
   * @param value config value, e.g. {@code compact}
   * @return a new spec
   */
  public TopicSpec withConfig(String key, String value) {
    Map<String, String> merged = new TreeMap<>(configs);
    merged.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return new TopicSpec(name, partitions, merged);
  }
}
