package dev.v2pledger.devstack.stack;

import dev.v2pledger.replay.report.StatsReport.Percentiles;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One plain Kafka hop measured in the same run, for comparison with the end-to-end figures: a
 * producer with the workload's settings ({@code acks=all}, idempotent, {@code linger.ms=0}) sends a
 * small record to {@code devstack.hop} every few milliseconds, and a {@code read_uncommitted}
 * consumer of it notes the time from {@code send} to its arrival (one clock: same JVM).
 */
public final class HopProbe implements AutoCloseable {
  public static final String TOPIC = "devstack.hop";

  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final long intervalNanos;
  private final Thread sender;
  private final Thread receiver;
  private final long[] samples = new long[1 << 20];
  private int count;
  private volatile boolean running = true;
  private volatile boolean measuring;

  private HopProbe(Map<String, Object> kafka, Duration interval) {
    Map<String, Object> producerConfig = new HashMap<>(kafka);
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "devstack-hop");
    this.producer =
        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    Map<String, Object> consumerConfig = new HashMap<>(kafka);
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "devstack-hop");
    this.consumer =
        new KafkaConsumer<>(
            consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    TopicPartition partition = new TopicPartition(TOPIC, 0);
    consumer.assign(List.of(partition));
    consumer.seekToEnd(List.of(partition));
    consumer.position(partition); // seekToEnd is lazy
    this.intervalNanos = interval.toNanos();
    this.sender = new Thread(this::send, "devstack-hop-send");
    this.receiver = new Thread(this::receive, "devstack-hop-receive");
    sender.setDaemon(true);
    receiver.setDaemon(true);
  }

  /** Creates the probe's topic if needed and starts probing (not measuring yet). */
  public static HopProbe start(Map<String, Object> kafka, Admin admin, Duration interval)
      throws InterruptedException {
    try {
      admin
          .createTopics(List.of(new NewTopic(TOPIC, Optional.of(1), Optional.empty())))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("cannot create " + TOPIC + ": " + e.getMessage(), e);
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("cannot create " + TOPIC + ": no answer", e);
    }
    HopProbe probe = new HopProbe(kafka, interval);
    probe.receiver.start();
    probe.sender.start();
    return probe;
  }

  /** Counts samples from now on. */
  public void measure(boolean on) {
    measuring = on;
  }

  private void send() {
    long next = System.nanoTime();
    while (running) {
      producer.send(
          new ProducerRecord<>(
              TOPIC, 0, null, ByteBuffer.allocate(8).putLong(System.nanoTime()).array()));
      next += intervalNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      } else {
        next = System.nanoTime();
      }
    }
  }

  private void receive() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          long hop = System.nanoTime() - ByteBuffer.wrap(record.value()).getLong();
          if (measuring) {
            record(hop);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private synchronized void record(long nanos) {
    if (count < samples.length) {
      samples[count++] = nanos;
    }
  }

  /** The hops measured so far, in microseconds. */
  public synchronized Percentiles micros() {
    long[] micros = new long[count];
    for (int i = 0; i < count; i++) {
      micros[i] = samples[i] / 1000;
    }
    return Percentiles.of(micros);
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      sender.join(5000);
      receiver.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
