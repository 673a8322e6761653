package dev.v2pledger.ops;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
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
          if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
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
    return config;
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
      throw new UsageException("cannot read --kafka-config " + file + ": " + describe(e));
    }
    Map<String, String> out = new HashMap<>();
    properties.stringPropertyNames().forEach(name -> out.put(name, properties.getProperty(name)));
    return out;
  }

  private static String describe(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
