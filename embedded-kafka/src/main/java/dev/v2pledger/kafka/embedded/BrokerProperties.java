package dev.v2pledger.kafka.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Turns {@link BrokerSettings} and the picked ports into the broker's {@code server.properties},
 * and reads endpoints back out of them.
 *
 * <p>Order: shared defaults, embedded defaults, the node layout (roles, listeners, log dir), then
 * the caller's overrides. Afterwards, unless overridden, {@code advertised.listeners} is derived
 * from the effective {@code listeners} (controller listeners left out) and {@code
 * controller.quorum.bootstrap.servers} from the effective controller listener, so overriding {@code
 * listeners} alone keeps the node consistent.
 */
final class BrokerProperties {

  /** Name of the controller listener. */
  static final String CONTROLLER_LISTENER = "CONTROLLER";

  static final String LISTENERS = "listeners";
  static final String ADVERTISED_LISTENERS = "advertised.listeners";
  static final String CONTROLLER_LISTENER_NAMES = "controller.listener.names";
  static final String QUORUM_BOOTSTRAP = "controller.quorum.bootstrap.servers";
  static final String QUORUM_VOTERS = "controller.quorum.voters";

  /** Resource settings sized for tests and one-machine runs. */
  private static final Map<String, String> EMBEDDED_DEFAULTS =
      Map.of(
          "num.network.threads", "2",
          "num.io.threads", "4",
          "num.recovery.threads.per.data.dir", "1",
          "log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024),
          "log.cleaner.threads", "1");

  private BrokerProperties() {}

  static Properties build(BrokerSettings settings, Map<String, Integer> ports, Path dataDir) {
    Map<String, String> props = new LinkedHashMap<>(BrokerDefaults.properties());
    props.putAll(EMBEDDED_DEFAULTS);
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(settings.nodeId()));
    props.put(CONTROLLER_LISTENER_NAMES, CONTROLLER_LISTENER);
    props.put(LISTENERS, listeners(settings, ports));
    props.put("listener.security.protocol.map", protocolMap(settings));
    props.put("inter.broker.listener.name", settings.interBrokerListener());
    props.put("log.dirs", dataDir.toAbsolutePath().toString());
    props.putAll(settings.brokerOverrides());
    Map<String, String> overrides = settings.brokerOverrides();
    if (!overrides.containsKey(ADVERTISED_LISTENERS)) {
      props.put(ADVERTISED_LISTENERS, advertised(props));
    }
    if (!overrides.containsKey(QUORUM_BOOTSTRAP) && !overrides.containsKey(QUORUM_VOTERS)) {
      String controller = controllerNames(props).get(0);
      props.put(QUORUM_BOOTSTRAP, endpoints(props.get(LISTENERS)).get(controller));
    }
    Properties properties = new Properties();
    properties.putAll(props);
    return properties;
  }

  /** Names of all listeners that need a port: the settings' listeners and the controller's. */
  static List<String> listenerNames(BrokerSettings settings) {
    List<String> names = new ArrayList<>(settings.listeners().keySet());
    names.add(CONTROLLER_LISTENER);
    return names;
  }

  /**
   * The {@code host:port} clients use for a listener: its advertised endpoint if there is one, else
   * its bound endpoint (a wildcard host becomes loopback).
   */
  static String endpoint(Properties props, String listenerName) {
    String name = listenerName.toUpperCase(Locale.ROOT);
    String advertised = endpoints(props.getProperty(ADVERTISED_LISTENERS, "")).get(name);
    if (advertised != null) {
      return advertised;
    }
    String bound = endpoints(props.getProperty(LISTENERS, "")).get(name);
    if (bound == null) {
      throw new IllegalStateException(
          "no listener named " + listenerName + " in " + props.getProperty(LISTENERS));
    }
    return bound;
  }

  /** The log directories of the node. */
  static List<Path> logDirs(Properties props) {
    String dirs = props.getProperty("log.dirs", props.getProperty("log.dir", ""));
    return Arrays.stream(dirs.split(","))
        .map(String::trim)
        .filter(dir -> !dir.isEmpty())
        .map(Path::of)
        .collect(Collectors.toList());
  }

  static int nodeId(Properties props) {
    return Integer.parseInt(props.getProperty("node.id").trim());
  }

  /** Parses {@code NAME://host:port,...} into upper-case name to {@code host:port}. */
  static Map<String, String> endpoints(String listeners) {
    Map<String, String> endpoints = new LinkedHashMap<>();
    for (String listener : listeners.split(",")) {
      String trimmed = listener.trim();
      int separator = trimmed.indexOf("://");
      if (separator <= 0) {
        continue;
      }
      String name = trimmed.substring(0, separator).toUpperCase(Locale.ROOT);
      String hostPort = trimmed.substring(separator + 3);
      int colon = hostPort.lastIndexOf(':');
      String host = colon < 0 ? "" : hostPort.substring(0, colon);
      if (host.isEmpty() || host.equals("0.0.0.0")) {
        hostPort = "127.0.0.1" + hostPort.substring(Math.max(colon, 0));
      }
      endpoints.put(name, hostPort);
    }
    return endpoints;
  }

  private static String listeners(BrokerSettings settings, Map<String, Integer> ports) {
    return listenerNames(settings).stream()
        .map(name -> name + "://" + hostForUrl(settings.host()) + ":" + ports.get(name))
        .collect(Collectors.joining(","));
  }

  private static String protocolMap(BrokerSettings settings) {
    List<String> entries = new ArrayList<>();
    settings.listeners().forEach((name, protocol) -> entries.add(name + ":" + protocol.name));
    entries.add(CONTROLLER_LISTENER + ":PLAINTEXT");
    return String.join(",", entries);
  }

  private static String advertised(Map<String, String> props) {
    List<String> controllers = controllerNames(props);
    return Arrays.stream(props.get(LISTENERS).split(","))
        .map(String::trim)
        .filter(l -> !controllers.contains(l.split("://", 2)[0].toUpperCase(Locale.ROOT)))
        .collect(Collectors.joining(","));
  }

  private static List<String> controllerNames(Map<String, String> props) {
    return Arrays.stream(props.get(CONTROLLER_LISTENER_NAMES).split(","))
        .map(name -> name.trim().toUpperCase(Locale.ROOT))
        .collect(Collectors.toList());
  }

  private static String hostForUrl(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
