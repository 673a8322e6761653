package dev.v2pledger.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.kafka.embedded.TopicSpec;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The broker goes away in the middle of a read of a topic (every command of the replay tool reads
 * so): the read fails once nothing has moved for the timeout, with the one line of an unreachable
 * broker, instead of polling for ever.
 */
class KafkaReadStallIT {
  @Test
  void aBrokerGoneInTheMiddleOfARead_failsTheReadWithinTheTimeout() {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
      broker.createTopics(TopicSpec.of("stall", 2));
      byte[] value = new byte[1024];
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              broker.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
        for (int i = 0; i < 20_000; i++) { // more than the reader fetches at once (8 MiB each)
          producer.send(new ProducerRecord<>("stall", i % 2, null, value));
        }
      }
      KafkaAccess access = new KafkaAccess(broker.clientConfig(), Duration.ofSeconds(2));
      AtomicLong read = new AtomicLong();

      assertTimeoutPreemptively(
          Duration.ofSeconds(60),
          () ->
              assertThatThrownBy(
                      () ->
                          access.readToEnd(
                              "stall",
                              record -> {
                                if (read.incrementAndGet() == 1) {
                                  broker.kill();
                                }
                                return true;
                              }))
                  .isInstanceOf(UsageException.class)
                  .hasMessageContaining("did not answer within 2 s"));
      assertThat(read.get()).as("stopped before the end").isLessThan(20_000);
    }
  }
}
