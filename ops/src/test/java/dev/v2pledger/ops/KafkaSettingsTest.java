package dev.v2pledger.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSettingsTest {

  @Test
  void fileThenEnvironmentThenFlagEachOverrideTheOneBefore(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file,
        "bootstrap.servers=file:9092\nsecurity.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");
    Map<String, String> env =
        Map.of(
            "V2P_KAFKA_SASL_MECHANISM",
            "SCRAM-SHA-256",
            "V2P_KAFKA_SASL_JAAS_CONFIG",
            "jaas",
            "PATH",
            "/bin");

    Map<String, Object> config = KafkaSettings.clientConfig("flag:9092", file, env);

    assertThat(config)
        .containsEntry("bootstrap.servers", "flag:9092")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
        .containsEntry("sasl.jaas.config", "jaas")
        .hasSize(4);
  }

  @Test
  void missingBootstrapServersOrFileAreOneLineUsageErrors(@TempDir Path dir) {
    assertThatThrownBy(() -> KafkaSettings.clientConfig(null, null, Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("no Kafka bootstrap servers");
    assertThatThrownBy(
            () -> KafkaSettings.clientConfig("x:1", dir.resolve("nope.properties"), Map.of()))
        .isInstanceOf(UsageException.class)
        .hasMessageEndingWith("nope.properties: no such file");
  }
}
