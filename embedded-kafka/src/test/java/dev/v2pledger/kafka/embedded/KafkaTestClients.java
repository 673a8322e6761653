package dev.v2pledger.kafka.embedded;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** String producers and consumers for a {@link KafkaCluster}, and deadline-bound reads. */
public final class KafkaTestClients {

  /** Deadline of every wait in the tests. */
  public static final Duration TIMEOUT = Duration.ofSeconds(30);

  private KafkaTestClients() {}

  public static Producer<String, String> producer(KafkaCluster cluster, Map<String, Object> extra) {
    Map<String, Object> config = cluster.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.putAll(extra);
    return new KafkaProducer<>(config);
  }

  public static Consumer<String, String> consumer(KafkaCluster cluster, Map<String, Object> extra) {
    Map<String, Object> config = cluster.clientConfig();
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.putAll(extra);
    return new KafkaConsumer<>(config);
  }

  /** Sends the values (key = value) and waits until each is acknowledged. */
  public static void send(Producer<String, String> producer, String topic, List<String> values) {
    List<Future<?>> acks = new ArrayList<>();
    for (String value : values) {
      acks.add(producer.send(new ProducerRecord<>(topic, value, value)));
    }
    for (Future<?> ack : acks) {
      try {
        ack.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException | ExecutionException | TimeoutException e) {
        throw new AssertionError("record not acknowledged", e);
      }
    }
  }

  /** Polls until at least {@code count} records arrived; fails after {@link #TIMEOUT}. */
  public static List<ConsumerRecord<String, String>> pollAtLeast(
      Consumer<String, String> consumer, int count) {
    return pollUntil(consumer, records -> records.size() >= count);
  }

  /**
   * Reads the assigned partitions up to their end offsets as seen now (for {@code read_committed},
   * the last stable offsets), so nothing beyond what is there is awaited.
   */
  public static List<ConsumerRecord<String, String>> pollToEnd(
      Consumer<String, String> consumer, Collection<TopicPartition> partitions) {
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
    return pollUntil(
        consumer,
        records ->
            end.entrySet().stream()
                .allMatch(e -> consumer.position(e.getKey(), TIMEOUT) >= e.getValue()));
  }

  /** Polls until {@code done} holds for the records so far; fails after {@link #TIMEOUT}. */
  private static List<ConsumerRecord<String, String>> pollUntil(
      Consumer<String, String> consumer, Predicate<List<ConsumerRecord<String, String>>> done) {
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    await()
        .atMost(TIMEOUT)
        .pollInSameThread()
        .pollInterval(Duration.ZERO)
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(100)).forEach(records::add);
              return done.test(records);
            });
    return records;
  }

  /** All partitions of a topic, assigned and rewound to the beginning. */
  public static Set<TopicPartition> assignFromBeginning(
      Consumer<String, String> consumer, String topic) {
    Set<TopicPartition> partitions =
        consumer.partitionsFor(topic, TIMEOUT).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .collect(Collectors.toSet());
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return partitions;
  }

  public static List<String> values(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(ConsumerRecord::value).collect(Collectors.toList());
  }
}
