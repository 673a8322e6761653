package dev.v2pledger.applier.runner;

import static dev.v2pledger.applier.testing.Records.U;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.applier.xde.sim.SimulatedXde;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stopping an applier whose broker does not answer. */
class ApplierStopTest {
  /**
   * At start the applier reads {@code v2p.schemas} (to register its ack schema), a read that waits
   * up to 10 s for a broker that does not answer; {@link SledApplier#close} ends it at once, as it
   * ends the Kafka calls of {@code v2p.mappings}' reader (it waited for the read's 10 s).
   */
  @Test
  void closeEndsAReadOfTheSchemasTopicAtOnce() {
    Map<String, Object> nowhere = Map.of("bootstrap.servers", "127.0.0.1:1");
    SledApplier applier =
        SledApplier.start(
            ApplierConfig.of(U.id(), nowhere),
            new SimulatedXde(U.underlay(), Clock.systemUTC()),
            new SimpleMeterRegistry());

    long closing = System.nanoTime(); // the read may not have begun yet: it must end too
    applier.close();

    // about 3 s here: the Kafka clients are made (the JVM's first) and closed; the read took 10 s
    assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(8));
    assertThat(applier.readinessProblem()).isEqualTo("stopped");
    assertThat(applier.failure()).isNull();
  }
}
