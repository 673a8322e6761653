package dev.v2pledger.schema.testing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Cluster;

/**
 * A partitioner that sends every record to partition 7, which no topic of these tests has: a
 * producer's write then waits out its delivery timeout, a write that stalls on demand (a single
 * broker cannot be made to stall one otherwise: Kafka caps {@code min.insync.replicas} at the
 * replica count). Says when it was first asked, and how often; once {@link #release released},
 * later records go to partition 0 (a stall that ends: a write stalled before stays stalled). One
 * test at a time. It stalls the writes to {@code v2p.schemas} (and the applier's acks): the
 * producers of keyed events and mappings (the projector's, {@code EventPublisher}'s) drop any
 * partitioner from their settings.
 */
public final class NoSuchPartition implements Partitioner {
  private static volatile CountDownLatch asked = new CountDownLatch(1);
  private static final AtomicInteger asks = new AtomicInteger();
  private static volatile boolean released;

  /**
   * {@code kafka} with every producer's records sent to the missing partition, and {@link #asked},
   * {@link #asks} and {@link #release} made new.
   */
  public static Map<String, Object> stalling(Map<String, Object> kafka) {
    Map<String, Object> config = new HashMap<>(kafka);
    config.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, NoSuchPartition.class.getName());
    asked = new CountDownLatch(1);
    asks.set(0);
    released = false;
    return config;
  }

  /** How many records producers of {@link #stalling} settings have begun to write. */
  public static int asks() {
    return asks.get();
  }

  /**
   * Ends the stall for records written from now on: they go to partition 0. A record counted by
   * {@link #asks} before this call was sent to the missing partition.
   */
  public static void release() {
    released = true;
  }

  /** Whether a producer of {@link #stalling} settings began a write within {@code seconds}. */
  public static boolean asked(long seconds) throws InterruptedException {
    return asked.await(seconds, TimeUnit.SECONDS);
  }

  @Override
  public int partition(
      String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
    boolean stall = !released; // decided before it is counted: see release()
    asks.incrementAndGet();
    asked.countDown();
    return stall ? 7 : 0;
  }

  @Override
  public void configure(Map<String, ?> configs) {}

  @Override
  public void close() {}
}
