package dev.v2pledger.projector.cli;

import dev.v2pledger.runtime.kafka.KafkaSettings;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** How a command reaches Kafka; shared by {@code run} and {@code init-topics}. */
public final class KafkaOptions {
  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT,...",
      description = "Kafka brokers (or bootstrap.servers in --kafka-config).")
  @Nullable String bootstrapServers;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description = "Kafka client properties (TLS, SASL, ...), passed through to every client.")
  @Nullable Path kafkaConfig;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Defaults for these options (key = option name without dashes).")
  @Nullable Path config;

  /** The merged client settings; a usage error when no bootstrap servers are known. */
  Map<String, Object> clientConfig(Map<String, String> env) {
    return KafkaSettings.clientConfig(bootstrapServers, kafkaConfig, env);
  }

  String describe(Map<String, Object> settings) {
    return String.valueOf(
        settings.get(org.apache.kafka.clients.CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
  }
}
