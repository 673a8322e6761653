package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.projector.testing.Workload;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away mid-stream and comes back (the same node restarted): the projector rides it
 * out with its bounded retries (or rejoins), and the result is still the oracle's, exactly once.
 */
@WithKafka
class BrokerRestartIT {

  @Test
  void aBrokerRestartMidStreamLosesNothingAndDuplicatesNothing(EmbeddedKafkaBroker broker) {
    Workload workload = Workload.seeded("BrokerRestartIT", 60, 6);
    try (Harness harness = new Harness(broker, "restart", 3, workload.context())) {
      harness.publish(workload.next(500, 40));
      Projector projector =
          harness.start(
              harness.config(
                  "survivor",
                  b ->
                      b.maxTxRecords(50)
                          .retryBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))));
      harness.awaitCaughtUp();

      harness.publish(workload.next(400, 40));
      broker.restart(); // while the projector works through those events
      harness.publish(workload.next(400, 40));
      harness.awaitCaughtUp();

      harness.assertMatchesOracle();
      assertThat(projector.status().isTerminal()).as(projector.status().toString()).isFalse();
      System.out.printf(
          "BrokerRestartIT: %s retries, %s fencings, %d commits%n",
          projector.metrics().retryCount(),
          projector.metrics().fencingCount(),
          projector.metrics().commits());
    }
  }
}
