package dev.v2pledger.kafka.embedded.junit;

import dev.v2pledger.kafka.embedded.KafkaCluster;

/**
 * A test class's cluster as kept in the JUnit store; JUnit closes it when the class's context
 * closes, which stops the broker or removes the container.
 *
 * @param cluster the running cluster
 * @param closer what stops it
 */
record ClusterResource(KafkaCluster cluster, Runnable closer) implements AutoCloseable {

  @Override
  public void close() {
    closer.run();
  }
}
