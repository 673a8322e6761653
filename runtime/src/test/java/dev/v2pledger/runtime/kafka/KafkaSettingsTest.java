package dev.v2pledger.runtime.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.runtime.cli.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
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

  /** Found by the hardening module's CLI tests: these failed inside a runner, exit 1. */
  @Test
  void malformedBootstrapServersAreUsageErrorsNamingThem() {
    for (String servers : new String[] {"a:b:c", "127.0.0.1", "host:notaport", "ok:1,bad"}) {
      assertThatThrownBy(() -> KafkaSettings.clientConfig(servers, null, Map.of()))
          .isInstanceOf(UsageException.class)
          .hasMessageStartingWith("Kafka bootstrap servers '" + servers + "': '")
          .hasMessageEndingWith("' is not HOST:PORT");
    }
    assertThat(KafkaSettings.clientConfig("[fd00::1]:9092, b:9093", null, Map.of()))
        .containsEntry("bootstrap.servers", "[fd00::1]:9092, b:9093");
  }

  @Test
  void theVariableNamingTheFileIsNoClientProperty() {
    assertThat(
            KafkaSettings.clientConfig(
                "b:1", null, Map.of("V2P_KAFKA_CONFIG", "/etc/v2p/kafka.properties")))
        .containsOnlyKeys("bootstrap.servers");
  }

  @Test
  void theKafkaLogLevelVariableIsNoClientProperty() {
    assertThat(
            KafkaSettings.clientConfig(
                "b:1", null, Map.of("V2P_KAFKA_LOG_LEVEL", "warn", "V2P_KAFKA_ACKS", "all")))
        .containsOnlyKeys("bootstrap.servers", "acks");
  }

  @Test
  void aRefusedSettingIsDescribedOnOneLineWithTheServersWhenThoseAreIt() {
    Map<String, Object> settings = Map.of("bootstrap.servers", "nohost.invalid:9092");

    assertThat(
            KafkaSettings.describe(
                new ConfigException("No resolvable bootstrap urls given in bootstrap.servers"),
                settings))
        .isEqualTo(
            "Kafka client settings: No resolvable bootstrap urls given in bootstrap.servers"
                + " (nohost.invalid:9092)");
    assertThat(
            KafkaSettings.describe(new ConfigException("security.protocol", "BOGUS\n"), settings))
        .isEqualTo(
            "Kafka client settings: Invalid value BOGUS? for configuration security.protocol");
  }
}
