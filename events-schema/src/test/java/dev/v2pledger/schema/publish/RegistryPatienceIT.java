package dev.v2pledger.schema.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.testing.NoSuchPartition;
import dev.v2pledger.schema.testing.SampleEvents;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.InterruptException;
import org.junit.jupiter.api.Test;

/**
 * {@code publish(event, patience)} with a patience too long to add to {@code System.nanoTime()}
 * (its deadline would wrap around), against a {@code v2p.schemas} whose writes stall ({@link
 * NoSuchPartition}). A cluster of its own: {@link RegistryStallIT} leaves the schema registered.
 */
@WithKafka
class RegistryPatienceIT {
  /**
   * It still tries again about every second, and an interrupt ends the wait with Kafka's {@link
   * InterruptException}, nothing sent. It slept out the wrapped deadline after its first attempt.
   */
  @Test
  void aPatienceTooLongToCount_triesAgainEachSecond_andAnInterruptEndsIt(KafkaCluster kafka)
      throws Exception {
    try (EventPublisher publisher =
        RegistryStallIT.stalledPublisher(kafka, "registry-patience-it", Duration.ofSeconds(1))) {
      int before = NoSuchPartition.asks(); // the constructor's attempt, unless its read timed out
      AtomicReference<Throwable> ended = new AtomicReference<>();
      Thread patient =
          new Thread(
              () -> {
                try {
                  publisher.publish(
                      SampleEvents.everyType().get(0), Duration.ofNanos(Long.MAX_VALUE));
                } catch (Throwable t) {
                  ended.set(t);
                }
              });
      patient.start();
      // each attempt waits out its write's delivery (2 s); without the fix the first was the last
      await().atMost(Duration.ofSeconds(30)).until(() -> NoSuchPartition.asks() >= before + 3);
      patient.interrupt();
      patient.join(10_000);
      assertThat(patient.isAlive()).as("the interrupt ended the wait").isFalse();
      assertThat(ended.get()).isInstanceOf(InterruptException.class);
      assertThat(publisher.sent()).isZero();
    }
  }
}
