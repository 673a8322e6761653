package dev.v2pledger.runtime.cli;

import dev.v2pledger.runtime.kafka.KafkaSettings;
import java.nio.file.Path;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * How a command reaches Kafka, the same two options in every command that talks to a cluster (a
 * picocli mixin: {@code @Mixin KafkaOptions kafka = new KafkaOptions();}).
 */
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

  /**
   * Whether a cluster is named: by either option (or its {@code V2P_<OPTION>} default), or by
   * {@code V2P_KAFKA_BOOTSTRAP_SERVERS} in {@code env}; a command may then talk to that cluster.
   */
  public boolean given(Map<String, String> env) {
    return bootstrapServers != null
        || kafkaConfig != null
        || env.get(KafkaSettings.ENV_PREFIX + "BOOTSTRAP_SERVERS") != null;
  }

  public @Nullable String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * The merged client settings: {@code --kafka-config}, then {@code V2P_KAFKA_*} variables of
   * {@code env}, then {@code --bootstrap-servers}; a usage error when no bootstrap servers are
   * known.
   */
  public Map<String, Object> clientConfig(Map<String, String> env) {
    return KafkaSettings.clientConfig(bootstrapServers, kafkaConfig, env);
  }
}
