package dev.v2pledger.projector.runner;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A static group member (consumer group protocol) in its own JVM, for {@link OrphanIT}'s {@code
 * kill -9}: prints {@code ASSIGNED n} when it holds partitions and {@code REVOKING ...} when told
 * to give some up, then stops in the callback, where its parent kills it. Arguments: bootstrap
 * servers, group, topic, instance id.
 */
public final class CrashingMember {
  private CrashingMember() {}

  public static void main(String[] args) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, args[1]);
    config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, args[3]);
    config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(
        List.of(args[2]),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) {
              System.out.println("REVOKING " + partitions);
              System.out.flush();
              try {
                Thread.sleep(Long.MAX_VALUE); // the parent kills us here
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            System.out.println("ASSIGNED " + consumer.assignment().size());
            System.out.flush();
          }
        });
    while (true) {
      consumer.poll(Duration.ofMillis(100));
    }
  }
}
