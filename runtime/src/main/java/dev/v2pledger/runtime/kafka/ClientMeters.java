package dev.v2pledger.runtime.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * Kafka's own client metrics on a runner's registry, through Micrometer's binder: connections,
 * request latencies, fetch and produce rates, records lag, transaction times ({@code
 * kafka_consumer_*}, {@code kafka_producer_*} in Prometheus), each tagged with the runner's tags
 * and Kafka's {@code client.id}. {@link #close()} removes them, when the clients close. One daemon
 * thread for the whole process looks for metrics a client adds later (new partitions, new brokers),
 * once a minute.
 */
public final class ClientMeters implements AutoCloseable {
  private static final ScheduledExecutorService REFRESH =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "v2p-kafka-client-meters");
            thread.setDaemon(true);
            return thread;
          });

  private final List<KafkaClientMetrics> binders = new ArrayList<>();

  private ClientMeters() {}

  /** Binds the metrics of {@code producers} and {@code consumers} to {@code registry}. */
  public static ClientMeters bind(
      MeterRegistry registry,
      Tags tags,
      List<? extends Producer<?, ?>> producers,
      List<? extends Consumer<?, ?>> consumers) {
    ClientMeters meters = new ClientMeters();
    producers.forEach(p -> meters.add(new KafkaClientMetrics(p, tags, REFRESH), registry));
    consumers.forEach(c -> meters.add(new KafkaClientMetrics(c, tags, REFRESH), registry));
    return meters;
  }

  private void add(KafkaClientMetrics binder, MeterRegistry registry) {
    binder.bindTo(registry);
    binders.add(binder);
  }

  /** Removes the meters bound here (the shared refresh thread stays). */
  @Override
  public void close() {
    binders.forEach(KafkaClientMetrics::close);
    binders.clear();
  }
}
