package dev.v2pledger.kafka.embedded.junit;

import dev.v2pledger.kafka.embedded.containers.TestcontainersKafkaCluster;
import java.util.Map;

/**
 * Everything the extension does with Testcontainers, kept in one class so that the extension loads
 * no Testcontainers type unless the {@code testcontainers} source is selected.
 */
final class ContainerSource {

  private static final String CONTAINER_CLASS = "org.testcontainers.kafka.KafkaContainer";

  private ContainerSource() {}

  /**
   * Why containers cannot run here, or the empty string if they can. Checks the classpath before
   * touching any Testcontainers type, so it is safe to call when Testcontainers is absent.
   *
   * @return a reason for skipping tests, or {@code ""}
   */
  static String unavailableReason() {
    try {
      Class.forName(CONTAINER_CLASS, false, ContainerSource.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return BrokerSource.PROPERTY
          + "=testcontainers but org.testcontainers:testcontainers-kafka is not on the test"
          + " classpath";
    }
    return Docker.available()
        ? ""
        : BrokerSource.PROPERTY + "=testcontainers but Testcontainers finds no Docker engine here";
  }

  /**
   * Starts a container of the image named by {@value BrokerSource#IMAGE_PROPERTY}, or the default.
   * Call only after {@link #unavailableReason()} returned {@code ""}.
   */
  static ClusterResource start(Map<String, String> brokerProperties) {
    return Docker.start(brokerProperties);
  }

  /** Holds every reference to Testcontainers types; loaded only once they are known present. */
  private static final class Docker {

    static boolean available() {
      return TestcontainersKafkaCluster.dockerAvailable();
    }

    static ClusterResource start(Map<String, String> brokerProperties) {
      String image =
          System.getProperty(BrokerSource.IMAGE_PROPERTY, TestcontainersKafkaCluster.DEFAULT_IMAGE);
      TestcontainersKafkaCluster cluster =
          TestcontainersKafkaCluster.start(image, brokerProperties);
      return new ClusterResource(cluster, cluster::close);
    }
  }
}
