package dev.v2pledger.runtime.kafka;

import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.schema.domain.Values;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Utils;
import org.jspecify.annotations.Nullable;

/**
 * Kafka client settings of a component, passed through as in any Kafka client so TLS and SASL work
 * unchanged: a properties file ({@code --kafka-config}), then environment variables {@code
 * V2P_KAFKA_<NAME>} ({@code V2P_KAFKA_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}), then {@code
 * --bootstrap-servers}, each overriding the one before. Components add their own settings
 * (serializers, isolation level, transactional id) on top.
 */
public final class KafkaSettings {
  /** Prefix of environment variables that become Kafka client properties. */
  public static final String ENV_PREFIX = "V2P_KAFKA_";

  /**
   * The {@code V2P_KAFKA_*} variables that are v2p-ledger's own, not client properties: the {@code
   * --kafka-config} file and the Kafka loggers' level ({@code KafkaLogs}, log4j2.xml).
   */
  private static final Set<String> OWN_VARIABLES =
      Set.of(ENV_PREFIX + "CONFIG", ENV_PREFIX + "LOG_LEVEL");

  private KafkaSettings() {}

  /**
   * The merged client settings.
   *
   * @throws UsageException when the file cannot be read or no bootstrap servers are given
   */
  public static Map<String, Object> clientConfig(
      @Nullable String bootstrapServers, @Nullable Path kafkaConfig, Map<String, String> env) {
    Map<String, Object> config = new HashMap<>();
    if (kafkaConfig != null) {
      config.putAll(load(kafkaConfig));
    }
    env.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX)
              && name.length() > ENV_PREFIX.length()
              && !OWN_VARIABLES.contains(name)) {
            config.put(propertyName(name.substring(ENV_PREFIX.length())), value);
          }
        });
    if (bootstrapServers != null && !bootstrapServers.isBlank()) {
      config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }
    Object servers = config.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    if (servers == null || servers.toString().isBlank()) {
      throw new UsageException(
          "no Kafka bootstrap servers: give --bootstrap-servers, bootstrap.servers in"
              + " --kafka-config, or V2P_KAFKA_BOOTSTRAP_SERVERS");
    }
    checkBootstrapServers(servers.toString());
    return config;
  }

  /**
   * Refuses bootstrap servers that every Kafka client would refuse when it is created, as Kafka
   * checks them ({@code host:port}, IPv6 in brackets), so that the mistake is a usage error naming
   * the value rather than a failure inside a runner. Names are not resolved here; a name that does
   * not resolve fails the client's creation ({@link #describe(ConfigException, Map)}).
   */
  static void checkBootstrapServers(String servers) {
    for (String url : servers.split(",")) {
      String trimmed = url.strip();
      if (!trimmed.isEmpty()
          && (Utils.getHost(trimmed) == null || Utils.getPort(trimmed) == null)) {
        throw new UsageException(
            "Kafka bootstrap servers '"
                + Values.abbreviate(servers)
                + "': '"
                + Values.abbreviate(trimmed)
                + "' is not HOST:PORT");
      }
    }
  }

  /**
   * One line for a client that refused its settings: Kafka's message, and the bootstrap servers
   * when they are what it refused (Kafka's message does not repeat them).
   */
  public static String describe(ConfigException error, Map<String, Object> settings) {
    String message = Values.printable(String.valueOf(error.getMessage()), 300);
    Object servers = settings.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    if (message.contains(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) && servers != null) {
      message += " (" + Values.abbreviate(servers.toString()) + ")";
    }
    return "Kafka client settings: " + message;
  }

  /** {@code SASL_JAAS_CONFIG} is {@code sasl.jaas.config}. */
  static String propertyName(String envSuffix) {
    return envSuffix.toLowerCase(Locale.ROOT).replace('_', '.');
  }

  private static Map<String, String> load(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException(
          "cannot read --kafka-config " + file + ": " + UsageException.describeFileError(e));
    }
    Map<String, String> out = new HashMap<>();
    properties.stringPropertyNames().forEach(name -> out.put(name, properties.getProperty(name)));
    return out;
  }
}
