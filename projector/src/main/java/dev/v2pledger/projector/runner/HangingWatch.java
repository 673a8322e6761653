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
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the topics the projector writes in transactions ({@code v2p.mappings}, which appliers
 * read with {@code read_committed}, and {@code v2p.events.dlq}) for a hanging transaction: a last
 * stable offset held at the same place for longer than the transaction timeout plus the
 * coordinator's sweep, checked then with {@link HangingTransactions}. One stops every applier's
 * reading of that partition for good. It is reported (ERROR with the commands, counted in {@code
 * v2p.projector.hanging.transactions.found}), never aborted: after a broker restart Kafka can leave
 * a transaction its coordinator <em>committed</em> without its markers (KAFKA-20734), and aborting
 * that one would discard committed mappings; an operator decides (projector README, "Hanging
 * transactions"). One watch per cluster and topics in a process, however many runners it has
 * (devstack runs several): the first runner starts it, the last one to close stops it. Runs on its
 * own thread with its own admin client, every {@code interval}; finding one needs Read on the
 * topics (DescribeProducers): without it the watch says so once and stops looking.
 */
final class HangingWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HangingWatch.class);

  private final List<String> topics;
  private final Supplier<Admin> adminFactory;
  private @Nullable Admin admin;
  private final HeldPartitions held;
  private final ProjectorMetrics metrics;
  private final String bootstrapServers;
  private final long timeoutMs;
  private final ScheduledExecutorService executor;
  private volatile boolean disabled;

  /** The watches running in this process, by cluster and topics, and how many runners use each. */
  private static final Map<String, HangingWatch> RUNNING = new HashMap<>();

  private @Nullable String key;
  private int users = 1;

  /** A watch of {@code topics} that runs only when {@link #check} is called; for tests. */
  static HangingWatch unscheduled(
      List<String> topics, Admin admin, Duration hangingAfter, ProjectorMetrics metrics) {
    return new HangingWatch(
        topics, () -> admin, hangingAfter, metrics, "test", Duration.ofSeconds(30), "test-watch");
  }

  private HangingWatch(
      List<String> topics,
      Supplier<Admin> adminFactory,
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

  /**
   * Watches the output topics of {@code config} every {@code interval}, or joins the watch this
   * process already runs for the same cluster and topics.
   */
  static HangingWatch start(
      ProjectorConfig config, ProjectorMetrics metrics, Duration hangingAfter, Duration interval) {
    String key =
        config.kafka().get("bootstrap.servers")
            + " "
            + config.topics().mappings()
            + " "
            + config.topics().dlq();
    synchronized (RUNNING) {
      HangingWatch running = RUNNING.get(key);
      if (running != null) {
        running.users++;
        return running;
      }
      HangingWatch watch = schedule(config, metrics, hangingAfter, interval);
      watch.key = key;
      RUNNING.put(key, watch);
      return watch;
    }
  }

  private static HangingWatch schedule(
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
            "v2p-hanging-watch");
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
    } catch (ConfigException e) {
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
   * One look at the topics' offsets at {@code now}; reports what is hanging. Returns the partitions
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
    List<HangingTransactions.Hanging> found =
        new HangingTransactions(client, timeoutMs).find(stuck);
    for (HangingTransactions.Hanging h : found) {
      LOG.error(
          "a hanging transaction holds every read_committed reader of {} (no coordinator has it in"
              + " progress; left by a broker restart, KAFKA-20734); not aborted, since its"
              + " coordinator may have committed it: see the projector README, \"Hanging"
              + " transactions\" (abort only if it was aborted: {})",
          h,
          h.command(bootstrapServers));
    }
    metrics.hangingFound(found.size());
    found.forEach(h -> held.forget(h.partition())); // reported again if it stays
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

  /** Whether the watch's thread was stopped (the last runner using it is done). */
  boolean stopped() {
    return executor.isShutdown();
  }

  /** Stops the thread and the admin client once the last runner using the watch is done. */
  @Override
  public void close() {
    synchronized (RUNNING) {
      if (--users > 0) {
        return;
      }
      if (key != null) {
        RUNNING.remove(key, this);
      }
    }
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
