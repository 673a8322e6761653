package dev.v2pledger.kafka.embedded;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Time;

/**
 * A running Kafka cluster that clients can reach: the embedded broker or a containerized one. Code
 * and tests written against this interface run on either.
 */
public interface KafkaCluster {

  /** Deadline of the admin helpers below. */
  Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The {@code bootstrap.servers} value of the client-facing listener.
   *
   * @return a {@code host:port} list
   */
  String bootstrapServers();

  /**
   * The settings every client needs to reach this cluster: {@code bootstrap.servers} plus the
   * client-facing listener's security settings, if any. Add serializers, group ids and the like to
   * the returned map.
   *
   * @return a new mutable map on each call
   */
  Map<String, Object> clientConfig();

  /**
   * A new admin client of this cluster; the caller closes it.
   *
   * @return a new admin client
   */
  default Admin admin() {
    return Admin.create(clientConfig());
  }

  /**
   * Creates the topics that do not exist yet and waits until their partitions have leaders. A topic
   * that exists with the same partition count is fine (its configs are left as they are); one with
   * another partition count is an {@link IllegalStateException}.
   *
   * @param topics wanted topics
   */
  default void createTopics(Collection<TopicSpec> topics) {
    try (Admin admin = admin()) {
      TopicAdmin.createTopics(admin, topics, ADMIN_TIMEOUT, Time.SYSTEM);
    }
  }

  /**
   * Varargs form of {@link #createTopics(Collection)}.
   *
   * @param topics wanted topics
   */
  default void createTopics(TopicSpec... topics) {
    createTopics(Arrays.asList(topics));
  }

  /**
   * Creates one topic unless it exists with the same partition count.
   *
   * @param name topic name
   * @param partitions partition count
   * @param configs topic-level configs
   */
  default void createTopic(String name, int partitions, Map<String, String> configs) {
    createTopics(List.of(new TopicSpec(name, partitions, configs)));
  }

  /**
   * The configs of a topic as the broker reports them, defaults included.
   *
   * @param topic topic name
   * @return config name to value
   */
  default Map<String, String> topicConfig(String topic) {
    try (Admin admin = admin()) {
      return TopicAdmin.topicConfig(admin, topic, ADMIN_TIMEOUT, Time.SYSTEM);
    }
  }
}
