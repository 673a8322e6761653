package dev.v2pledger.runtime.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's own client metrics on a daemon's registry, through Micrometer's binder: connections,
 * request latencies, fetch and produce rates, records lag, transaction times ({@code
 * kafka_consumer_*}, {@code kafka_producer_*} in Prometheus), each tagged with the runner's tags
 * and Kafka's {@code client.id}. Each client's binder looks for metrics the client adds later (new
 * partitions, new brokers) once a minute, on a daemon thread of its own that {@link #close()} stops
 * with it (a binder on a shared scheduler would keep its task, and bring the closed client's meters
 * back at its next run). Metrics never stop the data path: a bind that fails is logged and skipped.
 */
public final class ClientMeters implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClientMeters.class);

  /** Binds nothing: for runners whose registry is not exported (the one-machine stack's). */
  public static final ClientMeters NONE = new ClientMeters();

  private final List<KafkaClientMetrics> binders = new ArrayList<>();

  private ClientMeters() {}

  /** Binds the metrics of {@code producers} and {@code consumers} to {@code registry}. */
  public static ClientMeters bind(
      MeterRegistry registry,
      Tags tags,
      List<? extends Producer<?, ?>> producers,
      List<? extends Consumer<?, ?>> consumers) {
    ClientMeters meters = new ClientMeters();
    try {
      producers.forEach(p -> meters.add(new KafkaClientMetrics(p, tags), registry));
      consumers.forEach(c -> meters.add(new KafkaClientMetrics(c, tags), registry));
      return meters;
    } catch (RuntimeException e) {
      meters.close();
      LOG.warn("Kafka's client metrics are not on /metrics: {}", KafkaErrors.rootMessage(e));
      return NONE;
    }
  }

  private synchronized void add(KafkaClientMetrics binder, MeterRegistry registry) {
    binders.add(binder); // closed with the others if binding it fails
    binder.bindTo(registry);
  }

  /** Stops each binder's refresh and removes its meters; once is enough. */
  @Override
  public synchronized void close() {
    binders.forEach(KafkaClientMetrics::close);
    binders.clear();
  }
}
