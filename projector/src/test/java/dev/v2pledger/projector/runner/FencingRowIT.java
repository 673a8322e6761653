package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.runner.Probe.Point;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.projector.testing.Workload;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Test;

/** DESIGN "Keys, versions and the projected topic": what makes fencings a row, end to end. */
@WithKafka
class FencingRowIT {

  /**
   * A commit ends a row of fencings also when the fencing comes later in the same step (a poll's
   * batch cut into transactions by the record limit: the first commits, the next is fenced). Every
   * other commit is fenced here, so a commit stands between any two fencings, and a runner that
   * rejoins after one fencing in a row goes on. Before, only a step that went through counted its
   * commits for the row, and the second fencing stopped the runner with "fenced 2 times without a
   * commit in between".
   */
  @Test
  void aCommitBeforeAFencingInTheSameStep_endsTheRow(KafkaCluster kafka) {
    Workload workload = Workload.seeded("fencing-row", 20, 3);
    AtomicInteger offsetsSent = new AtomicInteger();
    AtomicInteger fencingsLeft = new AtomicInteger(4);
    try (Harness harness = new Harness(kafka, "fencing-row", 3, workload.context())) {
      harness.publish(workload.next(300, 20)); // a backlog: polls bring batches
      Projector projector =
          harness.start(
              harness.config(
                  "p1", b -> b.maxTxRecords(1).maxTxRecordsUnderBacklog(1).maxFencings(1)),
              point -> {
                if (point == Point.OFFSETS_SENT
                    && offsetsSent.incrementAndGet() % 2 == 0
                    && fencingsLeft.getAndDecrement() > 0) {
                  throw new ProducerFencedException("injected: every other commit is fenced");
                }
              });

      harness.awaitCaughtUp();

      assertThat(fencingsLeft.get()).as("every fencing injected").isNegative();
      assertThat(projector.failure()).isNull();
      assertThat(projector.metrics().fencingCount()).isEqualTo(4.0);
      harness.assertMatchesOracle();
    }
  }
}
