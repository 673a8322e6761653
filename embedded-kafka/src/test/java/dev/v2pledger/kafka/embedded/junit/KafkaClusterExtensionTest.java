package dev.v2pledger.kafka.embedded.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.containers.TestcontainersKafkaCluster;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Extension behaviour that needs no broker. */
class KafkaClusterExtensionTest {

  private final String previous = System.getProperty(BrokerSource.PROPERTY);

  @AfterEach
  void restoreProperty() {
    if (previous == null) {
      System.clearProperty(BrokerSource.PROPERTY);
    } else {
      System.setProperty(BrokerSource.PROPERTY, previous);
    }
  }

  @Test
  void testcontainersWithoutDocker_skipsTheClassWithAReason_neverFails() {
    assumeFalse(TestcontainersKafkaCluster.dockerAvailable(), "a Docker engine is reachable here");
    System.setProperty(BrokerSource.PROPERTY, "testcontainers");

    Events containers =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(NeedsKafka.class))
            .execute()
            .containerEvents();

    containers.assertStatistics(stats -> stats.skipped(1).failed(0));
    assertThat(containers.skipped().list().get(0).getPayload(String.class))
        .hasValueSatisfying(reason -> assertThat(reason).contains("no Docker engine"));
    assertThat(NeedsKafka.ran).isFalse();
  }

  @Test
  void annotatedProperties_areReadAsNameValuePairs_innerClassLast() {
    assertThat(KafkaClusterExtension.annotatedProperties(Outer.Inner.class))
        .containsExactly(Map.entry("a", "1"), Map.entry("b", "x=y"), Map.entry("c", ""));
  }

  @Test
  void annotatedProperties_rejectAnAssignmentWithoutName() {
    assertThatThrownBy(() -> KafkaClusterExtension.annotatedProperties(Malformed.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name=value");
  }

  /** Run only through the engine test kit above. */
  @WithKafka
  static class NeedsKafka {
    static boolean ran;

    @Test
    void usesKafka(KafkaCluster cluster) {
      ran = true;
    }
  }

  @WithKafka(brokerProperties = {"a=0", "b=x=y"})
  static class Outer {
    @WithKafka(brokerProperties = {"a=1", "c="})
    class Inner {}
  }

  @WithKafka(brokerProperties = "=3")
  static class Malformed {}
}
