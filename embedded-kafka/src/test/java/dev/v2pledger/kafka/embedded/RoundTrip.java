package dev.v2pledger.kafka.embedded;

import static dev.v2pledger.kafka.embedded.KafkaTestClients.assignFromBeginning;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.consumer;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.pollToEnd;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.producer;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.send;
import static dev.v2pledger.kafka.embedded.KafkaTestClients.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/** A produce/consume round trip that any {@link KafkaCluster} must pass. */
public final class RoundTrip {

  private RoundTrip() {}

  /** Creates the topic, produces {@code count} records, reads them back in per-key order. */
  public static void produceAndConsume(KafkaCluster cluster, String topic, int count) {
    cluster.createTopics(TopicSpec.of(topic, 3));
    List<String> sent =
        IntStream.range(0, count).mapToObj(i -> topic + "-" + i).collect(Collectors.toList());
    try (Producer<String, String> producer = producer(cluster, Map.of())) {
      send(producer, topic, sent);
    }
    try (Consumer<String, String> consumer = consumer(cluster, Map.of())) {
      List<String> received = values(pollToEnd(consumer, assignFromBeginning(consumer, topic)));
      assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
    }
  }
}
