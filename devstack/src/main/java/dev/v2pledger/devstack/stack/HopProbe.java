package dev.v2pledger.devstack.stack;

import dev.v2pledger.runtime.stats.Percentiles;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Two bare Kafka hops measured in the same run, the floors for the end-to-end figures. The plain
 * hop: a producer with the workload's settings ({@code acks=all}, idempotent, {@code linger.ms=0})
 * sends a small record to {@code devstack.hop} every few milliseconds and a consumer notes the time
 * from {@code send} to its arrival. The transactional hop: the same, each record in its own
 * transaction (begin, send, commit) on {@code devstack.hop-eos}, read {@code read_committed}: what
 * writing, committing and the markers cost, without any fold; two transactional producers take
 * turns, as the projector's do (DESIGN "The latency path"). One clock: same JVM.
 */
public final class HopProbe implements AutoCloseable {
  public static final String TOPIC = "devstack.hop";
  public static final String EOS_TOPIC = "devstack.hop-eos";

  private final Lane plain;
  private final Lane transactional;

  private HopProbe(Map<String, Object> kafka, Duration interval) {
    this.plain = new Lane(kafka, TOPIC, false, interval);
    // a transaction costs the broker several requests and markers: sampled 5 times less often
    this.transactional = new Lane(kafka, EOS_TOPIC, true, interval.multipliedBy(5));
  }

  /** Creates the probes' topics if needed and starts probing (not measuring yet). */
  public static HopProbe start(Map<String, Object> kafka, Admin admin, Duration interval)
      throws InterruptedException {
    for (String topic : List.of(TOPIC, EOS_TOPIC)) {
      try {
        admin
            .createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
            .all()
            .get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("cannot create " + topic + ": " + e.getMessage(), e);
        }
      } catch (TimeoutException e) {
        throw new IllegalStateException("cannot create " + topic + ": no answer", e);
      }
    }
    HopProbe probe = new HopProbe(kafka, interval);
    probe.plain.start();
    probe.transactional.start();
    return probe;
  }

  /** Counts samples from now on (or stops counting). */
  public void measure(boolean on) {
    plain.measuring = on;
    transactional.measuring = on;
  }

  /** The plain hops measured, in microseconds. */
  public Percentiles micros() {
    return plain.micros();
  }

  /** The transactional hops measured, in microseconds. */
  public Percentiles transactionalMicros() {
    return transactional.micros();
  }

  @Override
  public void close() {
    plain.close();
    transactional.close();
  }

  /** A lane: its producer (two taking turns when transactional), consumer, threads and samples. */
  private static final class Lane {
    private final String topic;
    private final boolean transactional;
    private final List<KafkaProducer<byte[], byte[]>> producers = new ArrayList<>();
    private int turn;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final long intervalNanos;
    private final Thread sender;
    private final Thread receiver;
    private final long[] samples = new long[1 << 20];
    private int count;
    private volatile boolean running = true;
    private volatile boolean measuring;

    Lane(Map<String, Object> kafka, String topic, boolean transactional, Duration interval) {
      this.topic = topic;
      this.transactional = transactional;
      String name = transactional ? "devstack-hop-eos" : "devstack-hop";
      Map<String, Object> producerConfig = new HashMap<>(kafka);
      producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
      producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
      producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, name);
      String id = name + "-" + UUID.randomUUID();
      for (int i = 0; i < (transactional ? 2 : 1); i++) {
        if (transactional) {
          producerConfig.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id + "+" + i);
        }
        KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(
                producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        if (transactional) {
          producer.initTransactions();
        }
        producers.add(producer);
      }
      Map<String, Object> consumerConfig = new HashMap<>(kafka);
      consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
      consumerConfig.put(
          ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          transactional ? "read_committed" : "read_uncommitted");
      this.consumer =
          new KafkaConsumer<>(
              consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToEnd(List.of(partition));
      consumer.position(partition); // seekToEnd is lazy
      this.intervalNanos = interval.toNanos();
      this.sender = new Thread(this::send, name + "-send");
      this.receiver = new Thread(this::receive, name + "-receive");
      sender.setDaemon(true);
      receiver.setDaemon(true);
    }

    void start() {
      receiver.start();
      sender.start();
    }

    private void send() {
      long next = System.nanoTime();
      try {
        while (running) {
          ProducerRecord<byte[], byte[]> record =
              new ProducerRecord<>(
                  topic, 0, null, ByteBuffer.allocate(8).putLong(System.nanoTime()).array());
          KafkaProducer<byte[], byte[]> producer = producers.get(turn);
          if (transactional) {
            producer.beginTransaction();
            producer.send(record);
            producer.commitTransaction();
            turn = 1 - turn;
          } else {
            producer.send(record);
          }
          next += intervalNanos;
          long wait = next - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          } else {
            next = System.nanoTime();
          }
        }
      } catch (KafkaException e) {
        // closing, or the cluster went away: the probe stops, the run goes on
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
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      }
    }

    private synchronized void record(long nanos) {
      if (count < samples.length) {
        samples[count++] = nanos;
      }
    }

    synchronized Percentiles micros() {
      long[] micros = new long[count];
      for (int i = 0; i < count; i++) {
        micros[i] = samples[i] / 1000;
      }
      return Percentiles.of(micros);
    }

    void close() {
      running = false;
      consumer.wakeup();
      try {
        sender.join(5000);
        receiver.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      producers.forEach(producer -> producer.close(Duration.ofSeconds(5)));
    }
  }
}
