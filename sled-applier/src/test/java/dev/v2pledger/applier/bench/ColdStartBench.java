package dev.v2pledger.applier.bench;

import dev.v2pledger.applier.reconcile.Desired;
import dev.v2pledger.applier.runner.ApplierConfig;
import dev.v2pledger.applier.runner.SledApplier;
import dev.v2pledger.applier.testing.EmptyXde;
import dev.v2pledger.applier.testing.MutableClock;
import dev.v2pledger.applier.testing.Records.Sled;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.sim.SimulatedXde;
import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.MappingCodec;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.Vni;
import dev.v2pledger.schema.testing.Heap;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Cold start with N mappings in {@code v2p.mappings} (default 1,000,000): a raw consumer reading
 * the topic to its end (bytes only, then with decoding), the applier from start to ready (snapshot
 * plus first pass) over an empty simulated device and over one that kept its table, and the heap
 * the applier and the device retain per mapping. Goals: ready within 10 s; at most 200 B per
 * mapping.
 */
public final class ColdStartBench {
  private ColdStartBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    try (EmbeddedKafkaBroker broker = BenchData.broker(partitions)) {
      long t0 = System.nanoTime();
      BenchData.produce(broker, n);
      System.out.printf("produced %,d mappings to %d partitions in %d ms%n", n, partitions, ms(t0));
      rawConsumer(broker, false);
      rawConsumer(broker, false);
      rawConsumer(broker, true);
      long base = Heap.usedAfterGc();
      desiredOnly(broker, n, base);
      coldStart(broker, n);
    }
  }

  private static void coldStart(EmbeddedKafkaBroker broker, int n) throws Exception {
    Sled sled = Sled.number(99);
    SimulatedXde device = new SimulatedXde(sled.underlay(), new MutableClock(Instant.EPOCH));
    device.keepMutationLog(false);
    startAndAwait(broker, sled, device, "empty simulated device (every entry set)").close();
    startAndAwait(broker, sled, device, "simulated device that kept its table").close();
    device = null;

    long base = Heap.usedAfterGc();
    SledApplier alone = startAndAwait(broker, sled, new EmptyXde(), "device that keeps nothing");
    long used = Heap.usedAfterGc();
    System.out.printf(
        "  heap retained by the applier (desired table, Kafka clients, meters): %.0f B/mapping%n",
        (used - base) / (double) n);
    alone.close();
  }

  private static SledApplier startAndAwait(
      EmbeddedKafkaBroker broker, Sled sled, Xde device, String what) throws Exception {
    ApplierConfig config =
        ApplierConfig.of(sled.id(), broker.clientConfig())
            .withExcludedVnis(Set.of(Vni.SERVICES))
            .withReconcileInterval(Duration.ofHours(1));
    long start = System.nanoTime();
    SledApplier applier = SledApplier.start(config, device, new SimpleMeterRegistry());
    while (!applier.isReady()) {
      if (applier.failure() != null) {
        throw new IllegalStateException(applier.failure());
      }
      Thread.sleep(5);
    }
    long took = ms(start);
    var pass = applier.lastPass();
    System.out.printf(
        "applier cold start, %s: ready in %d ms (first pass %d ms: %s)%n",
        what, took, pass.took().toMillis(), pass);
    return applier;
  }

  private static void desiredOnly(EmbeddedKafkaBroker broker, int n, long base) throws Exception {
    Desired desired = new Desired(Set.of());
    MappingCodec codec = new MappingCodec();
    readAll(broker, r -> desired.offer(codec.decode(r.value(), RecordOrigin.UNKNOWN).mapping()));
    long used = Heap.usedAfterGc();
    System.out.printf(
        "MappingTable of %,d decoded records (no sharing of values): %.0f B/mapping%n",
        desired.size(), (used - base) / (double) n);
  }

  private static void rawConsumer(EmbeddedKafkaBroker broker, boolean decode) {
    MappingCodec codec = new MappingCodec();
    long[] count = {0};
    long start = System.nanoTime();
    readAll(
        broker,
        r -> {
          count[0]++;
          if (decode) {
            ProjectedMapping m = codec.decode(r.value(), RecordOrigin.UNKNOWN);
            if (m == null) {
              throw new IllegalStateException();
            }
          }
        });
    System.out.printf(
        "raw consumer%s: %,d records to the end in %d ms%n",
        decode ? " + Avro decoding" : " (bytes only)", count[0], ms(start));
  }

  static void readAll(EmbeddedKafkaBroker broker, Consumer<ConsumerRecord<byte[], byte[]>> each) {
    Map<String, Object> config = new HashMap<>(broker.clientConfig());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(Topics.MAPPINGS)
          .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        consumer.poll(Duration.ofMillis(200)).forEach(each);
      }
    }
  }

  private static long ms(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
