package dev.v2pledger.kafka.embedded.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.TopicSpec;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

@WithKafka(brokerProperties = "message.max.bytes=2000000")
class KafkaClusterExtensionIT {

  private static KafkaCluster fromBeforeAll;
  private final KafkaCluster fromConstructor;

  KafkaClusterExtensionIT(KafkaCluster cluster) {
    this.fromConstructor = cluster;
  }

  @BeforeAll
  static void keep(KafkaCluster cluster) {
    fromBeforeAll = cluster;
  }

  @Test
  void oneClusterIsInjectedEverywhereInTheClass(KafkaCluster cluster, EmbeddedKafkaBroker broker) {
    assertThat(cluster).isSameAs(fromConstructor).isSameAs(fromBeforeAll).isSameAs(broker);
    assertThat(broker.isRunning()).isTrue();
  }

  @Test
  void annotationBrokerPropertiesReachTheBroker(KafkaCluster cluster) {
    cluster.createTopics(TopicSpec.of("extension.defaults", 1));

    assertThat(cluster.topicConfig("extension.defaults"))
        .as("a topic inherits the broker's message.max.bytes as its max.message.bytes")
        .containsEntry("max.message.bytes", "2000000");
  }

  @Test
  void theBrokerIsClosedAfterTheLastTestOfItsClass(KafkaCluster outer) {
    SampleTest.seen.set(null);

    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(SampleTest.class))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.started(2).succeeded(2));

    EmbeddedKafkaBroker sampleBroker = SampleTest.seen.get();
    assertThat(sampleBroker).isNotNull().isNotSameAs(outer);
    assertThat(sampleBroker.isRunning()).isFalse();
    assertThat(sampleBroker.baseDir()).doesNotExist();
  }

  @Nested
  class Inner {
    @Test
    void nestedClassesShareTheOuterCluster(KafkaCluster cluster) {
      assertThat(cluster).isSameAs(fromBeforeAll);
    }
  }

  /** Run only through the engine test kit above (not a top-level class, no {@code @Nested}). */
  @WithKafka
  static class SampleTest {
    static final AtomicReference<EmbeddedKafkaBroker> seen = new AtomicReference<>();

    @Test
    void first(EmbeddedKafkaBroker broker) {
      assertThat(seen.compareAndSet(null, broker) || seen.get() == broker).isTrue();
      assertThat(broker.isRunning()).isTrue();
    }

    @Test
    void second(EmbeddedKafkaBroker broker) {
      assertThat(seen.compareAndSet(null, broker) || seen.get() == broker).isTrue();
      assertThat(broker.isRunning()).isTrue();
    }
  }
}
