package dev.v2pledger.kafka.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.utils.Time;

/**
 * Everything the builder collected, immutable.
 *
 * @param host address every listener binds to
 * @param nodeId the node id of the combined broker+controller
 * @param clusterId cluster id written when the log directory is formatted
 * @param listeners client/broker listeners by name (the controller listener is added on top)
 * @param clientListener name of the listener {@code bootstrapServers()} points at
 * @param interBrokerListener name of the inter-broker listener
 * @param brokerOverrides broker properties applied last
 * @param clientProperties client settings needed to reach the client listener
 * @param formatArguments extra arguments of {@code kafka-storage format}
 * @param baseDir directory to use, or empty for a temporary one owned by the broker
 * @param removedOnExit whether a JVM stopping also stops the broker and removes its temporary
 *     directory
 * @param startTimeout deadline of one start
 * @param time clock for the broker and for deadlines
 */
record BrokerSettings(
    String host,
    int nodeId,
    String clusterId,
    Map<String, SecurityProtocol> listeners,
    String clientListener,
    String interBrokerListener,
    Map<String, String> brokerOverrides,
    Map<String, Object> clientProperties,
    List<String> formatArguments,
    Optional<Path> baseDir,
    boolean removedOnExit,
    Duration startTimeout,
    Time time) {

  BrokerSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(clusterId, "clusterId");
    listeners = Collections.unmodifiableMap(new LinkedHashMap<>(listeners));
    if (!listeners.containsKey(clientListener)) {
      throw new IllegalArgumentException(
          "client listener " + clientListener + " is not among the listeners " + listeners);
    }
    if (!listeners.containsKey(interBrokerListener)) {
      throw new IllegalArgumentException(
          "inter-broker listener "
              + interBrokerListener
              + " is not among the listeners "
              + listeners);
    }
    brokerOverrides = Map.copyOf(brokerOverrides);
    clientProperties = Map.copyOf(clientProperties);
    formatArguments = List.copyOf(formatArguments);
    Objects.requireNonNull(baseDir, "baseDir");
    Objects.requireNonNull(startTimeout, "startTimeout");
    Objects.requireNonNull(time, "time");
  }
}
