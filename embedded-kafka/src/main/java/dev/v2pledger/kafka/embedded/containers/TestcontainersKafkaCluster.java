package dev.v2pledger.kafka.embedded.containers;

import dev.v2pledger.kafka.embedded.BrokerDefaults;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A {@link KafkaCluster} backed by Testcontainers' {@link KafkaContainer}: one KRaft node of the
 * {@code apache/kafka} image, configured with the same {@link BrokerDefaults} as the embedded
 * broker. Needs a Docker engine; check {@link #dockerAvailable()} first.
 */
public final class TestcontainersKafkaCluster implements KafkaCluster, AutoCloseable {

  /** Image used unless another is given. */
  public static final String DEFAULT_IMAGE = "apache/kafka:4.1.0";

  private final KafkaContainer container;

  /**
   * Wraps a container, started or not (for example one managed by {@code @Container}).
   *
   * @param container the Kafka container
   */
  public TestcontainersKafkaCluster(KafkaContainer container) {
    this.container = Objects.requireNonNull(container, "container");
  }

  /**
   * Whether Testcontainers finds a Docker engine it can use.
   *
   * @return true if containers can start here
   */
  public static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  /**
   * A container, not started, with {@link BrokerDefaults} and then {@code brokerProperties} set
   * through the image's {@code KAFKA_*} environment variables.
   *
   * @param image image name, e.g. {@link #DEFAULT_IMAGE}
   * @param brokerProperties broker properties applied after the defaults
   * @return a new container
   */
  public static KafkaContainer newContainer(String image, Map<String, String> brokerProperties) {
    Map<String, String> properties = new LinkedHashMap<>(BrokerDefaults.properties());
    properties.putAll(brokerProperties);
    KafkaContainer container = new KafkaContainer(DockerImageName.parse(image));
    properties.forEach((key, value) -> container.withEnv(envName(key), value));
    return container;
  }

  /**
   * Creates and starts a container.
   *
   * @param image image name
   * @param brokerProperties broker properties applied after the defaults
   * @return a running cluster; close it to remove the container
   */
  public static TestcontainersKafkaCluster start(
      String image, Map<String, String> brokerProperties) {
    KafkaContainer container = newContainer(image, brokerProperties);
    container.start();
    return new TestcontainersKafkaCluster(container);
  }

  /**
   * The environment variable through which the {@code apache/kafka} image sets a broker property:
   * {@code KAFKA_} plus the name upper-cased, with {@code .} written {@code _}, {@code _} written
   * {@code __} and {@code -} written {@code ___}.
   *
   * @param property broker property name, e.g. {@code log.retention.ms}
   * @return e.g. {@code KAFKA_LOG_RETENTION_MS}
   */
  public static String envName(String property) {
    StringBuilder name = new StringBuilder("KAFKA_");
    for (char c : property.toCharArray()) {
      switch (c) {
        case '.' -> name.append('_');
        case '_' -> name.append("__");
        case '-' -> name.append("___");
        default -> name.append(Character.toUpperCase(c));
      }
    }
    return name.toString();
  }

  /**
   * The wrapped container.
   *
   * @return the container
   */
  public KafkaContainer container() {
    return container;
  }

  @Override
  public String bootstrapServers() {
    return container.getBootstrapServers();
  }

  @Override
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return config;
  }

  /** Stops and removes the container. */
  @Override
  public void close() {
    container.stop();
  }
}
