package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.U;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.domain.SledId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The applier thread interrupted by nobody who asked it to stop (close() does not interrupt). */
@WithKafka
class ApplierInterruptedIT extends AppliersOnKafka {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  ApplierInterruptedIT(KafkaCluster kafka) {
    super(kafka);
  }

  /**
   * An interrupt ends the applier thread (Kafka's poll throws InterruptException). It ended it as a
   * clean stop: no failure, so /readyz kept answering the last step's status (ready) for an applier
   * that no longer applies anything, and {@code run} would exit 0. It is a failure: /readyz and
   * /healthz say "stopped: ..." and {@code run} exits 1.
   */
  @Test
  void anInterruptNobodyAskedFor_stopsTheApplierAsAFailure_andItIsNeverReadyAfter()
      throws Exception {
    SledId sled = new SledId(UUID.randomUUID());
    SledApplier applier =
        start(
            sled,
            new SimulatedXde(U.underlay(), Clock.systemUTC()),
            new SimpleMeterRegistry(),
            Duration.ofSeconds(5));
    await().atMost(DEADLINE).until(applier::isReady);
    Thread thread =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("sled-applier-" + sled))
            .findFirst()
            .orElseThrow();

    thread.interrupt();

    assertThat(applier.awaitTermination(DEADLINE)).isTrue();
    assertThat(applier.failure()).isNotNull();
    assertThat(applier.readinessProblem()).startsWith("stopped: ");
    assertThat(applier.livenessProblem()).startsWith("stopped: ");
  }
}
