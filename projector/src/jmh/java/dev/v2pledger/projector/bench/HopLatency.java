package dev.v2pledger.projector.bench;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.projector.runner.Projector;
import dev.v2pledger.projector.runner.ProjectorConfig;
import dev.v2pledger.projector.testing.Workload;
import dev.v2pledger.projector.topics.ProjectorTopics;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.codec.RecordOrigin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Latency of the projector's hop at a steady event rate, for several transaction policies: from an
 * event's log-append time in v2p.events to the moment its mapping record is returned to a
 * read_committed consumer of v2p.mappings (same machine, same clock). The first seconds are warm-up
 * and not counted.
 *
 * <pre>
 * mvn -B -Pjmh -pl projector -am process-test-classes -Dbench=HopLatency -Dbench.args="2000 20"
 * </pre>
 */
public final class HopLatency {
  private static final int PARTITIONS = 6;
  private static final long WARMUP_MS = 3000;

  private HopLatency() {}

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    List<BenchKafka.Encoded> events =
        BenchKafka.encode(
            new Workload(3, 40_000, 32).next(rate * (seconds + (int) (WARMUP_MS / 1000)), 20_000));
    try (EmbeddedKafkaBroker broker = BenchKafka.broker()) {
      System.out.printf(
          "%d events/s for %d s (+%d s warm-up), %d partitions%n",
          rate, seconds, WARMUP_MS / 1000, PARTITIONS);
      System.out.printf(
          "%-22s %8s %8s %8s %8s %8s %12s%n",
          "policy", "samples", "p50 ms", "p90 ms", "p99 ms", "max ms", "events/tx");
      run(broker, events, rate, "commit per poll", Duration.ZERO);
      run(broker, events, rate, "5 ms time box", Duration.ofMillis(5));
      run(broker, events, rate, "2 ms time box", Duration.ofMillis(2));
    }
  }

  private static void run(
      EmbeddedKafkaBroker broker,
      List<BenchKafka.Encoded> events,
      int rate,
      String name,
      Duration age)
      throws Exception {
    String prefix = "lat" + age.toMillis() + ".";
    ProjectorTopics topics = BenchKafka.topics(broker, prefix, PARTITIONS);
    ProjectorConfig config =
        ProjectorConfig.builder(BenchKafka.projectorClientConfig(broker), "latency")
            .groupId(prefix + "projector")
            .topics(topics)
            .maxTxAge(age)
            .build();
    long[] samples = new long[events.size() * 4];
    int[] count = {0};
    AtomicBoolean reading = new AtomicBoolean(true);
    long start = System.currentTimeMillis();
    Thread reader =
        new Thread(
            () -> read(broker, topics.mappings(), start + WARMUP_MS, reading, samples, count),
            "latency-reader");
    try (Projector projector = Projector.start(config);
        Admin admin = broker.admin()) {
      while (projector.readinessProblem() != null) {
        BenchKafka.sleep(10);
      }
      reader.start();
      pace(broker, topics.events(), events, rate);
      while (BenchKafka.lag(admin, config.groupId(), topics.events(), PARTITIONS) > 0) {
        BenchKafka.sleep(20);
      }
      BenchKafka.sleep(500);
      reading.set(false);
      reader.join();
      long[] sorted = Arrays.copyOf(samples, count[0]);
      Arrays.sort(sorted);
      System.out.printf(
          "%-22s %8d %8d %8d %8d %8d %12.1f%n",
          name,
          sorted.length,
          percentile(sorted, 0.50),
          percentile(sorted, 0.90),
          percentile(sorted, 0.99),
          sorted.length == 0 ? 0 : sorted[sorted.length - 1],
          (double) events.size() / Math.max(1, projector.metrics().commits()));
    }
  }

  /** Sends {@code rate} events per second, on a fixed schedule (not back-to-back). */
  private static void pace(
      EmbeddedKafkaBroker broker, String topic, List<BenchKafka.Encoded> events, int rate) {
    long intervalNanos = 1_000_000_000L / rate;
    try (KafkaProducer<byte[], byte[]> producer = BenchKafka.producer(broker)) {
      long next = System.nanoTime();
      for (BenchKafka.Encoded event : events) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        producer.send(
            new ProducerRecord<>(topic, null, event.key(), event.value(), event.headers()));
        next += intervalNanos;
      }
      producer.flush();
    }
  }

  private static void read(
      EmbeddedKafkaBroker broker,
      String topic,
      long countFrom,
      AtomicBoolean reading,
      long[] samples,
      int[] count) {
    Map<String, Object> config = broker.clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
    MappingCodec codec = new MappingCodec();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        tps.add(new TopicPartition(topic, p));
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      tps.forEach(consumer::position);
      while (reading.get()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
          long now = System.currentTimeMillis();
          long logged =
              codec.decode(record.value(), RecordOrigin.UNKNOWN).cause().timestamp().toEpochMilli();
          if (logged >= countFrom && count[0] < samples.length) {
            samples[count[0]++] = now - logged;
          }
        }
      }
    }
  }

  private static long percentile(long[] sorted, double q) {
    return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, q * sorted.length)];
  }
}
