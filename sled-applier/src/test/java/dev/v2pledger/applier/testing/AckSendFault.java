package dev.v2pledger.applier.testing;

import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.utils.Utils;

/**
 * A partitioner ({@code partitioner.class}) that runs a test's fault first: Kafka calls it inside
 * {@code KafkaProducer.send}, on the sending thread, so what the fault throws is what a send that
 * threw would (an Error leaves the send as it is). Partitions by the key's hash, as Kafka's own
 * does. One fault for the JVM: the tests that set it run one at a time.
 */
public final class AckSendFault implements Partitioner {
  private static volatile Runnable fault = () -> {};

  /** Runs {@code next} before every partitioning from now on. */
  public static void set(Runnable next) {
    fault = next;
  }

  /** No fault any more. */
  public static void clear() {
    fault = () -> {};
  }

  @Override
  public int partition(
      String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
    fault.run();
    return Utils.toPositive(Utils.murmur2(keyBytes)) % cluster.partitionCountForTopic(topic);
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public void close() {}
}
