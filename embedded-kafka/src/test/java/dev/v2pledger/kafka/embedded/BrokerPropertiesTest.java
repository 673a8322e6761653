package dev.v2pledger.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

class BrokerPropertiesTest {

  private static final Path DATA = Path.of("/tmp/kafka-test/data");

  @Test
  void defaults_describeOneLoopbackCombinedNode() {
    Properties props = build(EmbeddedKafkaBroker.builder(), Map.of("PLAINTEXT", 9001));

    assertThat(props)
        .containsEntry("process.roles", "broker,controller")
        .containsEntry("node.id", "1")
        .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9001,CONTROLLER://127.0.0.1:9002")
        .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9001")
        .containsEntry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT")
        .containsEntry("controller.listener.names", "CONTROLLER")
        .containsEntry("controller.quorum.bootstrap.servers", "127.0.0.1:9002")
        .containsEntry("inter.broker.listener.name", "PLAINTEXT")
        .containsEntry("log.dirs", DATA.toString())
        .containsEntry("offsets.topic.replication.factor", "1")
        .containsEntry("transaction.state.log.replication.factor", "1")
        .containsEntry("transaction.state.log.min.isr", "1")
        .containsEntry("group.initial.rebalance.delay.ms", "0")
        .containsEntry("auto.create.topics.enable", "false");
    assertThat(BrokerProperties.endpoint(props, "plaintext")).isEqualTo("127.0.0.1:9001");
    assertThat(BrokerProperties.logDirs(props)).containsExactly(DATA);
  }

  @Test
  void extraListener_getsItsPortAndProtocolAndCanServeClients() {
    EmbeddedKafkaBrokerBuilder builder =
        EmbeddedKafkaBroker.builder()
            .listener("sasl", SecurityProtocol.SASL_PLAINTEXT)
            .clientListener("SASL");
    Properties props = build(builder, Map.of("PLAINTEXT", 9001, "SASL", 9003));

    assertThat(props)
        .containsEntry(
            "listeners",
            "PLAINTEXT://127.0.0.1:9001,SASL://127.0.0.1:9003,CONTROLLER://127.0.0.1:9002")
        .containsEntry("advertised.listeners", "PLAINTEXT://127.0.0.1:9001,SASL://127.0.0.1:9003")
        .containsEntry(
            "listener.security.protocol.map",
            "PLAINTEXT:PLAINTEXT,SASL:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
    assertThat(BrokerProperties.endpoint(props, builder.settings().clientListener()))
        .isEqualTo("127.0.0.1:9003");
  }

  @Test
  void overriddenListeners_rederiveAdvertisedListenersAndQuorumBootstrap() {
    EmbeddedKafkaBrokerBuilder builder =
        EmbeddedKafkaBroker.builder()
            .brokerProperty("listeners", "PLAINTEXT://0.0.0.0:7001,CONTROLLER://127.0.0.1:7002")
            .brokerProperty("num.partitions", "8");
    Properties props = build(builder, Map.of("PLAINTEXT", 9001));

    assertThat(props)
        .containsEntry("advertised.listeners", "PLAINTEXT://0.0.0.0:7001")
        .containsEntry("controller.quorum.bootstrap.servers", "127.0.0.1:7002")
        .containsEntry("num.partitions", "8");
    assertThat(BrokerProperties.endpoint(props, "PLAINTEXT"))
        .as("a wildcard address is reached through loopback")
        .isEqualTo("127.0.0.1:7001");
  }

  @Test
  void overriddenAdvertisedListener_isWhatClientsGet() {
    EmbeddedKafkaBrokerBuilder builder =
        EmbeddedKafkaBroker.builder()
            .brokerProperty("advertised.listeners", "PLAINTEXT://[::1]:9001");
    Properties props = build(builder, Map.of("PLAINTEXT", 9001));

    assertThat(BrokerProperties.endpoint(props, "PLAINTEXT")).isEqualTo("[::1]:9001");
    assertThatThrownBy(() -> BrokerProperties.endpoint(props, "SSL"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no listener named SSL");
  }

  @Test
  void logDirs_areSplitOnCommas() {
    Properties props = new Properties();
    props.setProperty("log.dirs", "/a, /b ,");

    assertThat(BrokerProperties.logDirs(props)).containsExactly(Path.of("/a"), Path.of("/b"));
  }

  private static Properties build(EmbeddedKafkaBrokerBuilder builder, Map<String, Integer> ports) {
    BrokerSettings settings = builder.settings();
    Map<String, Integer> all = new HashMap<>(ports);
    all.put(BrokerProperties.CONTROLLER_LISTENER, 9002);
    assertThat(BrokerProperties.listenerNames(settings)).containsAll(List.copyOf(ports.keySet()));
    return BrokerProperties.build(settings, all, DATA);
  }
}
