package dev.v2pledger.applier.runner;

import dev.v2pledger.runtime.kafka.ClientMeters;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.V2PSerde;
import dev.v2pledger.schema.domain.ApplierAck;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.registry.SchemaRegistration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;

/**
 * Sends watermark acks to {@code v2p.acks}, key = the sled id, from a thread of its own: {@link
 * #send} only hands the watermark over (the newest per partition wins), so the applier thread never
 * waits for acks. An ack's time is when its watermark was first handed over, not when it was sent
 * (DESIGN "Acks"): an ack that waited still says when the sled had applied. A producer's send can
 * block (up to {@code max.block.ms}, a minute by default) while {@code v2p.acks} is missing from
 * the cluster's metadata, and the device comes first (DESIGN "Sled applier"). The first failure is
 * kept for the applier thread to classify ({@link #takeFailure}). Acks are sent once their schema
 * is registered in {@code v2p.schemas}, or refused for good; until it has worked, the sending
 * thread tries again before it sends ({@link SchemaRegistration}).
 */
final class AckPublisher implements AutoCloseable {
  private final KafkaProducer<String, ApplierAck> producer;

  /** Kafka's own metrics of the producer, on the applier's registry while it is open. */
  private final ClientMeters meters;

  private final SledId sled;
  private final String key;
  private final Clock clock;
  private final AtomicReference<@Nullable Exception> failure = new AtomicReference<>();
  private final AtomicBoolean delivered = new AtomicBoolean();

  /** Watermarks handed over and not sent yet, the newest per partition. */
  private final ConcurrentHashMap<Integer, Mark> pending = new ConcurrentHashMap<>();

  /** The last watermark handed over per partition; the handing thread's alone. */
  private final Map<Integer, Mark> handed = new HashMap<>();

  private final Semaphore handedOver = new Semaphore(0);
  private final AtomicReference<@Nullable RuntimeException> thrown = new AtomicReference<>();
  private final Thread sender;
  private final SchemaRegistration schema;
  private volatile boolean closing;

  AckPublisher(
      Map<String, Object> kafka,
      SledId sled,
      Clock clock,
      String clientId,
      SchemaRegistration schema,
      @Nullable ApplierMetrics metrics) {
    Map<String, Object> config = new HashMap<>(kafka);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0); // an ack waits for nothing
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    V2PSerde<ApplierAck> serde = V2PSerde.acks();
    this.producer = new KafkaProducer<>(config, new StringSerializer(), serde.serializer());
    this.meters =
        metrics == null
            ? ClientMeters.NONE
            : ClientMeters.bind(metrics.registry(), metrics.tags, List.of(producer), List.of());
    this.sled = sled;
    this.key = sled.toString();
    this.clock = clock;
    this.schema = schema;
    this.sender = new Thread(this::sendHandedOver, clientId + "-sender");
    sender.setDaemon(true);
    sender.start();
  }

  /**
   * Hands {@code partition}'s watermark to the sending thread; never blocks. The newest wins, also
   * when it is lower than one not sent yet: a watermark goes back only with the read position (the
   * log cut under the reader), and the higher one then claims records the sled has not read. Its
   * ack is stamped now, or, for the watermark handed over last again (sent again after a failure),
   * with the time it had then, unless the partition's log went back since ({@link #forget}). Called
   * from one thread.
   */
  void send(int partition, long watermark) {
    Mark last = handed.get(partition);
    Mark mark =
        last != null && last.watermark() == watermark ? last : new Mark(watermark, clock.instant());
    handed.put(partition, mark);
    pending.put(partition, mark);
    handedOver.release();
  }

  /**
   * {@code partition}'s read position went back under the reader (the log cut, or the topic made
   * again): the next watermark handed over covers other records, even one equal to the last, so it
   * is stamped anew (it kept the last one's time, older than the records it covers). The handing
   * thread's.
   */
  void forget(int partition) {
    handed.remove(partition);
  }

  /** A watermark handed over, and when: the time its ack says. */
  private record Mark(long watermark, Instant at) {}

  /** The sending thread: sends what is handed over, and once closing, what is left, then ends. */
  private void sendHandedOver() {
    try {
      while (true) {
        handedOver.acquire();
        handedOver.drainPermits();
        boolean last = closing; // read first: all handed over before close() is pending by now
        if (mayWrite()) { // if not, the watermarks stay pending for a later round
          sendPending();
        }
        if (last) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sendPending() {
    for (Integer partition : pending.keySet()) {
      Mark mark = pending.remove(partition);
      if (mark != null) {
        try {
          sendNow(partition, mark);
        } catch (Error e) { // never end this thread silently: no ack would leave again
          thrown.compareAndSet(null, new IllegalStateException("the ack sender failed", e));
        }
      }
    }
  }

  /**
   * Whether acks may be sent now: their schema is registered (tried now if not), or refused for
   * good (acks go on: readers of this build's schema need no registry). A failure that may pass is
   * handed to the applier thread as a send failure: it warns, and hands every watermark over again,
   * which tries again. A stopped registry decides by the last attempt.
   */
  private boolean mayWrite() {
    try {
      WatermarkAcks.report(sled, schema.beforeWrite());
      return true;
    } catch (SchemaRegistration.NotRegisteredException e) {
      failure.compareAndSet(null, e);
      return false;
    } catch (WakeupException e) { // the applier stops
      return schema.writesMayGo();
    } catch (RuntimeException e) { // as a send that threw
      if (!closing) {
        thrown.compareAndSet(null, e);
      }
      return false;
    } catch (Error e) { // never end this thread silently: no ack would leave again
      thrown.compareAndSet(null, new IllegalStateException("the ack sender failed", e));
      return false;
    }
  }

  private void sendNow(int partition, Mark mark) {
    try {
      ApplierAck ack = new ApplierAck(sled, partition, mark.watermark(), mark.at());
      producer.send(
          new ProducerRecord<>(Topics.ACKS, key, ack),
          (metadata, error) -> {
            if (error != null) {
              failure.compareAndSet(null, error);
            } else {
              delivered.set(true);
            }
          });
    } catch (RuntimeException e) { // the ack could not be built or serialized, the producer
      // refused it, or closed under a blocked send: a send that threw, counted as such
      if (!closing) {
        thrown.compareAndSet(null, e);
      }
    }
  }

  /** The first failure a send reported (through its callback) since the last call, or null. */
  @Nullable Exception takeFailure() {
    return failure.getAndSet(null);
  }

  /** Whether the broker took an ack since the last call. */
  boolean takeDelivered() {
    return delivered.getAndSet(false);
  }

  /**
   * The first exception a send threw since the last call, or null: the applier thread handles it as
   * its own (it counts towards the errors that stop the applier).
   */
  @Nullable RuntimeException takeThrown() {
    return thrown.getAndSet(null);
  }

  /**
   * Sends what is still handed over (the last steps' watermarks), waiting up to 5 s for it, then
   * closes the producer, which delivers what was sent and ends a send still waiting for metadata.
   */
  @Override
  public void close() {
    closing = true;
    handedOver.release();
    join();
    meters.close();
    producer.close(Duration.ofSeconds(5));
    join();
  }

  private void join() {
    try {
      sender.join(Duration.ofSeconds(5).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
