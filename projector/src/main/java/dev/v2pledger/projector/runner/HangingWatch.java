package dev.v2pledger.projector.runner;

import dev.v2pledger.projector.metrics.ProjectorMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the topics the projector writes in transactions and appliers read with {@code
 * read_committed} ({@code v2p.mappings}, {@code v2p.events.dlq}) for a hanging transaction: a last
 * stable offset held at the same place for longer than the transaction timeout plus the
 * coordinator's sweep, checked then with {@link HangingTransactions} and aborted. One would stop
 * every applier's reading of that partition for good. Runs on its own thread with its own admin
 * client, every {@code interval}; finding one needs Read on the topic (DescribeProducers) and
 * aborting it ClusterAction: without them it says so once and stops looking.
 */
final class HangingWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HangingWatch.class);

  private final List<String> topics;
  private final java.util.function.Supplier<Admin> adminFactory;
  private @org.jspecify.annotations.Nullable Admin admin;
  private final HeldPartitions held;
  private final ProjectorMetrics metrics;
  private final String bootstrapServers;
  private final long timeoutMs;
  private final ScheduledExecutorService executor;
  private volatile boolean disabled;

  /** A watch of {@code topics} that runs only when {@link #check} is called; for tests. */
  static HangingWatch unscheduled(
      List<String> topics, Admin admin, Duration hangingAfter, ProjectorMetrics metrics) {
    return new HangingWatch(
        topics, () -> admin, hangingAfter, metrics, "test", Duration.ofSeconds(30), "test-watch");
  }

  private HangingWatch(
      List<String> topics,
      java.util.function.Supplier<Admin> adminFactory,
      Duration hangingAfter,
      ProjectorMetrics metrics,
      String bootstrapServers,
      Duration timeout,
      String name) {
    this.topics = List.copyOf(topics);
    this.adminFactory = adminFactory;
    this.held = new HeldPartitions(hangingAfter.toNanos());
    this.metrics = metrics;
    this.bootstrapServers = bootstrapServers;
    this.timeoutMs = timeout.toMillis();
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, name);
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Starts watching {@code topics} every {@code interval}. */
  static HangingWatch start(
      ProjectorConfig config, ProjectorMetrics metrics, Duration hangingAfter, Duration interval) {
    HangingWatch watch =
        new HangingWatch(
            List.of(config.topics().mappings(), config.topics().dlq()),
            // made on the watch's thread: a bad setting is the runner's to report, not start's
            () -> Admin.create(KafkaClients.adminConfig(config)),
            hangingAfter,
            metrics,
            String.valueOf(config.kafka().get("bootstrap.servers")),
            config.kafkaTimeout(),
            "v2p-projector-" + config.instanceId() + "-hanging-watch");
    watch.executor.scheduleWithFixedDelay(
        watch::checkQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return watch;
  }

  private void checkQuietly() {
    if (disabled) {
      return;
    }
    try {
      check(System.nanoTime());
    } catch (org.apache.kafka.common.config.ConfigException e) {
      disabled = true;
      LOG.debug("not watching for hanging transactions: {}", e.getMessage());
    } catch (AuthorizationException e) {
      disabled = true;
      LOG.warn(
          "not watching {} for hanging transactions: {} (it needs Read on them to find one,"
              + " ClusterAction to abort it)",
          topics,
          e.getMessage());
    } catch (KafkaException e) {
      LOG.debug("hanging-transaction check failed; next time: {}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("hanging-transaction check failed", e);
    }
  }

  /**
   * One look at the topics' offsets at {@code now}; aborts what is hanging. Returns the partitions
   * that were held long enough to be examined.
   */
  List<TopicPartition> check(long now) {
    Admin client = admin;
    if (client == null) {
      client = adminFactory.get();
      admin = client;
    }
    List<TopicPartition> partitions = partitions(client);
    List<TopicPartition> stuck =
        held.observe(
            offsets(client, partitions, IsolationLevel.READ_COMMITTED),
            offsets(client, partitions, IsolationLevel.READ_UNCOMMITTED),
            now);
    if (stuck.isEmpty()) {
      return stuck;
    }
    HangingTransactions hanging = new HangingTransactions(client, timeoutMs);
    List<HangingTransactions.Hanging> found = hanging.find(stuck);
    if (found.isEmpty()) {
      return stuck;
    }
    LOG.warn("hanging transactions (no coordinator has them in progress): {}", found);
    List<HangingTransactions.Hanging> left = hanging.abort(found, bootstrapServers);
    metrics.hangingAborted(found.size() - left.size());
    found.forEach(h -> held.forget(h.partition()));
    return stuck;
  }

  private List<TopicPartition> partitions(Admin client) {
    List<TopicPartition> out = new ArrayList<>();
    try {
      client
          .describeTopics(topics)
          .allTopicNames()
          .get(timeoutMs, TimeUnit.MILLISECONDS)
          .forEach(
              (topic, description) ->
                  description
                      .partitions()
                      .forEach(p -> out.add(new TopicPartition(topic, p.partition()))));
    } catch (Exception e) {
      throw asKafka("describing " + topics, e);
    }
    return out;
  }

  private Map<TopicPartition, Long> offsets(
      Admin client, List<TopicPartition> partitions, IsolationLevel isolation) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
    Map<TopicPartition, Long> out = new HashMap<>();
    try {
      client
          .listOffsets(request, new ListOffsetsOptions(isolation))
          .all()
          .get(timeoutMs, TimeUnit.MILLISECONDS)
          .forEach((tp, info) -> out.put(tp, info.offset()));
    } catch (Exception e) {
      throw asKafka("listing the offsets of " + topics, e);
    }
    return out;
  }

  private static KafkaException asKafka(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    Throwable cause =
        e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
            ? e.getCause()
            : e;
    if (cause instanceof KafkaException k) {
      return k;
    }
    return new KafkaException(what + " failed: " + cause, cause);
  }

  /** Stops the thread and the admin client (a crash stops them too). */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Admin made = admin;
    if (made != null) {
      made.close(Duration.ZERO);
    }
  }
}
