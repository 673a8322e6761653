package dev.v2pledger.devstack.stack;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.AckCodec;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.domain.ApplierAck;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.registry.LogSchemas;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Follows {@code v2p.acks} while a run goes on: each sled's latest watermark per partition of
 * {@code v2p.mappings}, for progress and for knowing when every sled has applied everything. An ack
 * written with a schema this build lacks (a remote applier of a newer release) is decoded through
 * {@code v2p.schemas}, as every reader does.
 */
public final class AckWatch implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final LogSchemas schemas;
  private final AckCodec codec;
  private final Map<SledId, Map<Integer, Long>> latest = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  public AckWatch(Map<String, Object> kafka, int ackPartitions) {
    Map<String, Object> config = new HashMap<>(kafka);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "devstack-acks");
    this.schemas = LogSchemas.open(kafka);
    this.codec = new AckCodec(schemas);
    try {
      this.consumer =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    } catch (RuntimeException e) {
      schemas.close();
      throw e;
    }
    List<TopicPartition> partitions = new ArrayList<>();
    for (int p = 0; p < ackPartitions; p++) {
      partitions.add(new TopicPartition(Topics.ACKS, p));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(this::run, "devstack-acks");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          try {
            ApplierAck ack =
                codec.decode(
                    record.value(),
                    RecordOrigin.of(record.topic(), record.partition(), record.offset()));
            latest
                .computeIfAbsent(ack.sledId(), s -> new ConcurrentHashMap<>())
                .put(ack.partition(), ack.appliedThroughOffset());
          } catch (RecordDecodeException e) {
            // an ack we cannot read (v2p.schemas did not answer) covers nothing; the next one will
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
      schemas.close();
    }
  }

  /** The latest watermark of {@code sled} on {@code partition}, or -1. */
  public long watermark(SledId sled, int partition) {
    return latest.getOrDefault(sled, Map.of()).getOrDefault(partition, -1L);
  }

  /** Whether every sled's latest watermark reached {@code end} on every partition. */
  public boolean covered(Collection<SledId> sleds, Map<Integer, Long> end) {
    for (SledId sled : sleds) {
      for (Map.Entry<Integer, Long> partition : end.entrySet()) {
        if (watermark(sled, partition.getKey()) < partition.getValue()) {
          return false;
        }
      }
    }
    return true;
  }

  /** Records of {@code v2p.mappings} applied on every one of {@code sleds} (offset span). */
  public long appliedEverywhere(Collection<SledId> sleds, Collection<Integer> partitions) {
    long sum = 0;
    for (int partition : partitions) {
      long min = Long.MAX_VALUE;
      for (SledId sled : sleds) {
        min = Math.min(min, Math.max(0, watermark(sled, partition)));
      }
      sum += sleds.isEmpty() ? 0 : min;
    }
    return sum;
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
