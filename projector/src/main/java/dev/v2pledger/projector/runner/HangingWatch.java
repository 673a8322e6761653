package dev.v2pledger.projector.runner;

import dev.v2pledger.projector.metrics.ProjectorMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the topics the projector writes in transactions ({@code v2p.mappings}, which appliers
 * read with {@code read_committed}, and {@code v2p.events.dlq}) for a hanging transaction: a last
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
            AdminCalls.endOffsets(client, partitions, IsolationLevel.READ_COMMITTED, timeoutMs),
            AdminCalls.endOffsets(client, partitions, IsolationLevel.READ_UNCOMMITTED, timeoutMs),
            now);
    if (stuck.isEmpty()) {
      return stuck;
    }
    HangingTransactions.Resolved resolved =
        new HangingTransactions(client, timeoutMs).resolve(stuck, bootstrapServers);
    metrics.hangingAborted(resolved.aborted());
    resolved.found().forEach(h -> held.forget(h.partition()));
    return stuck;
  }

  private List<TopicPartition> partitions(Admin client) {
    List<TopicPartition> out = new ArrayList<>();
    AdminCalls.get(client.describeTopics(topics).allTopicNames(), timeoutMs, "describing " + topics)
        .forEach(
            (topic, description) ->
                description
                    .partitions()
                    .forEach(p -> out.add(new TopicPartition(topic, p.partition()))));
    return out;
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
