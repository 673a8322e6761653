package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.projector.testing.Seeds;
import dev.v2pledger.projector.testing.Workload;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Events in, mappings out: one projector against a real broker, compared with the oracle. */
@WithKafka
class ProjectorIT {

  @Test
  void eventsInMappingsOutEqualTheOracle(KafkaCluster kafka) throws Exception {
    long seed = Seeds.pick("eventsInMappingsOutEqualTheOracle");
    Workload workload = new Workload(seed, 40, 5);
    try (Harness harness =
        new Harness(kafka, "oracle", 3, Seeds.context("eventsInMappingsOutEqualTheOracle", seed))) {
      harness.publish(workload.next(1500, 30));
      Projector projector = harness.start(harness.config("p1", b -> b));
      harness.awaitReady(projector);
      harness.publish(workload.next(1500, 30));
      harness.awaitCaughtUp();

      harness.assertMatchesOracle();
      assertThat(projector.metrics().foldedCount()).isEqualTo(harness.oracle().events());
      assertThat(projector.status().assigned()).containsExactly(0, 1, 2);
      assertThat(projector.status().instances()).isEqualTo(harness.oracle().states().size());
      projector.close();
      assertThat(projector.awaitTermination(Duration.ofSeconds(1))).isTrue();
      assertThat(projector.status().phase()).isEqualTo(ProjectorStatus.Phase.STOPPED);
    }
  }
}
