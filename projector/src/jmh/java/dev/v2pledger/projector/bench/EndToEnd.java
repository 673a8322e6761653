package dev.v2pledger.projector.bench;

import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.projector.runner.Crashable;
import dev.v2pledger.projector.runner.Probe;
import dev.v2pledger.projector.runner.Projector;
import dev.v2pledger.projector.runner.ProjectorConfig;
import dev.v2pledger.projector.testing.Workload;
import dev.v2pledger.projector.topics.ProjectorTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Events per second through the projector with exactly-once, beside the raw produce-to-consume rate
 * of the same embedded broker in the same run. Each pipeline: the same encoded events are produced
 * as fast as an idempotent producer goes while the reader runs; the clock stops when the raw
 * consumer has read them all, or when the projectors' group has committed them all (their mappings
 * and states written, in transactions).
 *
 * <pre>mvn -B -Pjmh -pl projector -am process-test-classes -Dbench=EndToEnd -Dbench.args=200000
 * </pre>
 */
public final class EndToEnd {
  private static final int PARTITIONS = 6;
  private static final AtomicInteger RUNS = new AtomicInteger();

  private EndToEnd() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    List<BenchKafka.Encoded> events =
        BenchKafka.encode(new Workload(1, 40_000, 32).next(n, 20_000));
    try (EmbeddedKafkaBroker broker = BenchKafka.broker()) {
      System.out.printf("%d events, %d partitions, one embedded broker%n", n, PARTITIONS);
      double raw = raw(broker, events);
      System.out.printf("%-44s %10.0f events/s%n", "raw produce -> consume (read_committed)", raw);
      // max age ms, max events; under a backlog: max age ms, max events (no larger: no policy)
      int[][] policies = {
        {5, 1000, 100, 10_000}, // the defaults
        {5, 1000, 5, 1000},
        {100, 10_000, 100, 10_000}
      };
      // not counted: the first projector of the JVM runs cold (JIT), which put the defaults first
      // behind the box alone in every run
      System.out.println("warm-up (not counted):");
      projector(broker, events.subList(0, events.size() / 2), policies[0]);
      for (int[] policy : policies) {
        double eos = projector(broker, events, policy);
        System.out.printf(
            "%-58s %10.0f events/s  (%.0f %% of raw)%n",
            "projector, EOS, "
                + policy[0]
                + " ms / "
                + policy[1]
                + " events, under a backlog "
                + policy[2]
                + " ms / "
                + policy[3],
            eos,
            100 * eos / raw);
      }
    }
  }

  private static double raw(EmbeddedKafkaBroker broker, List<BenchKafka.Encoded> events)
      throws Exception {
    ProjectorTopics topics = BenchKafka.topics(broker, "raw.", PARTITIONS);
    Map<String, Object> config = broker.clientConfig();
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        tps.add(new TopicPartition(topics.events(), p));
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      tps.forEach(consumer::position);
      long started = System.nanoTime();
      Thread producing = produce(broker, topics.events(), events);
      long read = 0;
      while (read < events.size()) {
        read += consumer.poll(Duration.ofMillis(100)).count();
      }
      long elapsed = System.nanoTime() - started;
      producing.join();
      return events.size() * 1e9 / elapsed;
    }
  }

  private static double projector(
      EmbeddedKafkaBroker broker, List<BenchKafka.Encoded> events, int[] policy) throws Exception {
    String prefix = "eos" + RUNS.incrementAndGet() + ".";
    ProjectorTopics topics = BenchKafka.topics(broker, prefix, PARTITIONS);
    long[] phases = new long[4]; // nanos: fold+send, state writes, offsets, commit
    long[] last = {System.nanoTime()};
    ProjectorConfig config =
        ProjectorConfig.builder(BenchKafka.projectorClientConfig(broker), "bench")
            .groupId(prefix + "projector")
            .topics(topics)
            .maxTxAge(Duration.ofMillis(policy[0]))
            .maxTxRecords(policy[1])
            .maxTxAgeUnderBacklog(Duration.ofMillis(policy[2]))
            .maxTxRecordsUnderBacklog(policy[3])
            .build();
    // the commit's phases, from the calls the runner makes on its producers
    Probe probe =
        point -> {
          long now = System.nanoTime();
          int phase =
              switch (point) {
                case BEFORE_COMMIT -> -1;
                case STATE_WRITTEN -> 1;
                case OFFSETS_SENT -> 2;
                case COMMITTED -> 3;
                default -> -2;
              };
          if (phase >= 0) {
            phases[phase] += now - last[0];
          }
          if (phase != -2) {
            last[0] = now;
          }
        };
    try (Projector projector = Crashable.start(config, probe).projector();
        Admin admin = broker.admin()) {
      while (projector.readinessProblem() != null) {
        BenchKafka.sleep(10);
      }
      long started = System.nanoTime();
      Thread producing = produce(broker, topics.events(), events);
      producing.join();
      while (BenchKafka.lag(admin, config.groupId(), topics.events(), PARTITIONS) > 0) {
        BenchKafka.sleep(5);
      }
      long elapsed = System.nanoTime() - started;
      long commits = Math.max(1, projector.metrics().commits());
      System.out.printf(
          "  %d transactions, %.0f events each; per commit: state writes %.1f ms, offsets %.1f"
              + " ms, commitTransaction %.1f ms%n",
          commits,
          (double) events.size() / commits,
          phases[1] / 1e6 / commits,
          phases[2] / 1e6 / commits,
          phases[3] / 1e6 / commits);
      return events.size() * 1e9 / elapsed;
    }
  }

  private static Thread produce(
      EmbeddedKafkaBroker broker, String topic, List<BenchKafka.Encoded> events) {
    Thread thread =
        new Thread(
            () -> {
              try (KafkaProducer<byte[], byte[]> producer = BenchKafka.producer(broker)) {
                for (BenchKafka.Encoded event : events) {
                  producer.send(
                      new ProducerRecord<>(
                          topic, null, event.key(), event.value(), event.headers()));
                }
                producer.flush();
              }
            },
            "bench-producer");
    thread.start();
    return thread;
  }
}
