package dev.v2pledger.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka node (combined KRaft broker and controller) running inside this JVM, built
 * from Kafka's production jars.
 *
 * <p>{@link #start()} picks free loopback ports (once: restarts reuse them), formats the log
 * directory with Kafka's {@code StorageTool} (once), starts a {@code KafkaRaftServer} and returns
 * when the broker answers {@code DescribeCluster} with itself in the cluster. {@link #stop()} shuts
 * it down cleanly; {@link #kill()} is the closest to a crash that Kafka's API offers (see there);
 * {@link #start()} after either restarts on the same log directory and the same ports, so data,
 * committed offsets and the bootstrap address survive. {@link #close()} stops the node and deletes
 * the directory if the broker created it.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.builder().start()) {
 *   kafka.createTopics(TopicSpec.of("v2p.events", 3).withConfig("retention.ms", "-1"));
 *   Map<String, Object> config = kafka.clientConfig(); // bootstrap.servers and security settings
 * }
 * }</pre>
 *
 * <p>The broker logs through SLF4J; it is as loud as the application's logging configuration lets
 * it be (see the module README). Methods are thread-safe.
 */
public final class EmbeddedKafkaBroker implements KafkaCluster, AutoCloseable {

  /** Kafka's marker of a clean shutdown in each log directory. */
  static final String CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
  private static final long READY_POLL_MS = 20;

  /**
   * How long a JVM stopping waits for a broker built {@code removedOnExit} to stop before it
   * removes the directory anyway.
   */
  public static final Duration EXIT_STOP_WAIT = Duration.ofSeconds(10);

  private final BrokerSettings settings;
  private final Path baseDir;
  private final boolean ownsBaseDir;
  private final Time time;
  private final Map<String, Integer> ports = new LinkedHashMap<>();
  private Properties properties;
  private boolean formatted;
  private boolean closed;
  private KafkaRaftServer server;
  private Duration lastStartDuration = Duration.ZERO;
  private final Thread exitHook; // null unless removedOnExit and the directory is the broker's

  /** The directories of brokers built {@code removedOnExit} and not closed yet. */
  private static final Set<Path> REMOVED_ON_EXIT = ConcurrentHashMap.newKeySet();

  EmbeddedKafkaBroker(BrokerSettings settings) {
    this.settings = settings;
    this.time = settings.time();
    this.ownsBaseDir = settings.baseDir().isEmpty();
    this.baseDir = settings.baseDir().orElseGet(EmbeddedKafkaBroker::createTempDir);
    this.exitHook =
        ownsBaseDir && settings.removedOnExit()
            ? new Thread(this::onExit, "embedded-kafka-exit")
            : null;
    if (exitHook != null) {
      Runtime.getRuntime().addShutdownHook(exitHook);
      REMOVED_ON_EXIT.add(baseDir);
    }
  }

  /**
   * Removes the directories of the brokers built {@code removedOnExit} now, without stopping them:
   * for a process about to halt (Kafka's {@code Exit.halt} on a fatal fault), which runs no exit
   * hook; best effort.
   */
  public static void removeDirectoriesBeforeHalt() {
    REMOVED_ON_EXIT.forEach(EmbeddedKafkaBroker::deleteRecursively);
  }

  /**
   * A builder with the defaults: loopback, node id 1, one PLAINTEXT listener, a temporary
   * directory, a random cluster id.
   *
   * @return a new builder
   */
  public static EmbeddedKafkaBrokerBuilder builder() {
    return new EmbeddedKafkaBrokerBuilder();
  }

  /**
   * Starts the node, or restarts it on the same directory and ports after {@link #stop()} or {@link
   * #kill()}. Does nothing if it runs already.
   *
   * @return this broker
   * @throws IllegalStateException if it does not become ready before the start timeout
   */
  public synchronized EmbeddedKafkaBroker start() {
    if (closed) {
      throw new IllegalStateException("broker is closed");
    }
    if (server != null) {
      return this;
    }
    long startNanos = time.nanoseconds();
    prepare();
    long deadline = time.milliseconds() + settings.startTimeout().toMillis();
    KafkaRaftServer candidate = new KafkaRaftServer(new KafkaConfig(properties), time);
    try {
      candidate.startup();
      awaitReady(deadline);
    } catch (RuntimeException e) {
      try {
        shutdown(candidate);
      } catch (RuntimeException shutdownFailure) {
        e.addSuppressed(shutdownFailure);
      }
      throw new IllegalStateException("embedded Kafka broker did not start: " + e.getMessage(), e);
    }
    server = candidate;
    lastStartDuration = Duration.ofNanos(time.nanoseconds() - startNanos);
    LOG.info("Kafka broker ready at {} in {} ms", bootstrapServers(), lastStartDuration.toMillis());
    return this;
  }

  /** Shuts the node down cleanly (logs flushed, clean-shutdown markers written). Idempotent. */
  public synchronized void stop() {
    if (server != null) {
      KafkaRaftServer stopping = server;
      server = null;
      shutdown(stopping);
    }
  }

  /**
   * The closest to a crash that Kafka's API offers in one JVM: there is no way to halt a {@code
   * KafkaRaftServer}'s threads abruptly, so this shuts the node down and then deletes the
   * clean-shutdown marker of every log directory. The next {@link #start()} therefore takes Kafka's
   * unclean-shutdown path (log recovery: segments re-validated, indexes and producer state
   * rebuilt). Records the OS already had stay either way, as after a real process crash; what this
   * does not reproduce is losing in-flight requests or clients seeing a reset connection mid-write.
   */
  public synchronized void kill() {
    stop();
    if (properties == null) {
      return;
    }
    for (Path logDir : BrokerProperties.logDirs(properties)) {
      try {
        Files.deleteIfExists(logDir.resolve(CLEAN_SHUTDOWN_FILE));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove the clean-shutdown marker in " + logDir, e);
      }
    }
  }

  /**
   * {@link #stop()} then {@link #start()}: same directory, same ports, same bootstrap address.
   *
   * @return this broker
   */
  public synchronized EmbeddedKafkaBroker restart() {
    stop();
    return start();
  }

  /**
   * Whether the node is running.
   *
   * @return true between a successful start and the next stop, kill or close
   */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /**
   * The client listener's {@code host:port}; stays the same across restarts.
   *
   * @throws IllegalStateException if the broker was never started
   */
  @Override
  public synchronized String bootstrapServers() {
    return bootstrapServers(settings.clientListener());
  }

  /**
   * The {@code host:port} of any listener, e.g. a second one added for SASL.
   *
   * @param listenerName listener name, case-insensitive
   * @return its advertised (or else bound) endpoint
   * @throws IllegalStateException if the broker was never started or there is no such listener
   */
  public synchronized String bootstrapServers(String listenerName) {
    return BrokerProperties.endpoint(effectiveProperties(), listenerName);
  }

  @Override
  public synchronized Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>(settings.clientProperties());
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return config;
  }

  @Override
  public void createTopics(Collection<TopicSpec> topics) {
    try (Admin admin = admin()) {
      TopicAdmin.createTopics(admin, topics, ADMIN_TIMEOUT, time);
    }
  }

  @Override
  public Map<String, String> topicConfig(String topic) {
    try (Admin admin = admin()) {
      return TopicAdmin.topicConfig(admin, topic, ADMIN_TIMEOUT, time);
    }
  }

  /**
   * The effective broker properties (a copy), as written to {@code server.properties}.
   *
   * @return the properties of the last start
   * @throws IllegalStateException if the broker was never started
   */
  public synchronized Properties brokerProperties() {
    Properties copy = new Properties();
    copy.putAll(effectiveProperties());
    return copy;
  }

  /**
   * The directory holding {@code server.properties} and the log directory.
   *
   * @return the base directory
   */
  public Path baseDir() {
    return baseDir;
  }

  /**
   * The log directories of the node.
   *
   * @return the {@code log.dirs} of the effective properties
   */
  public synchronized List<Path> logDirs() {
    return BrokerProperties.logDirs(effectiveProperties());
  }

  /**
   * The cluster id used when formatting (an already formatted directory keeps its own).
   *
   * @return cluster id
   */
  public String clusterId() {
    return settings.clusterId();
  }

  /**
   * How long the last successful start took: formatting (first start only), server start-up and the
   * readiness wait.
   *
   * @return duration, zero before the first start
   */
  public synchronized Duration lastStartDuration() {
    return lastStartDuration;
  }

  /** Stops the node and deletes the base directory if this broker created it. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    stop();
    closed = true;
    if (ownsBaseDir) {
      deleteRecursively(baseDir);
    }
    if (exitHook != null) {
      REMOVED_ON_EXIT.remove(baseDir);
      try {
        Runtime.getRuntime().removeShutdownHook(exitHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs (it is what closes): it removes the directory too
      }
    }
  }

  /** The exit hook: closes, waiting at most {@link #EXIT_STOP_WAIT}, then removes the directory. */
  private void onExit() {
    Thread closing = new Thread(this::close, "embedded-kafka-exit-close");
    closing.setDaemon(true);
    closing.start();
    try {
      closing.join(EXIT_STOP_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteRecursively(baseDir);
  }

  private void prepare() {
    if (properties == null) {
      ports.putAll(FreePorts.pick(settings.host(), BrokerProperties.listenerNames(settings)));
      properties = BrokerProperties.build(settings, ports, baseDir.resolve("data"));
    }
    if (!formatted) {
      StorageFormatter.format(
          properties,
          baseDir.resolve("server.properties"),
          settings.clusterId(),
          settings.formatArguments());
      formatted = true;
    }
  }

  private void awaitReady(long deadline) {
    int nodeId = BrokerProperties.nodeId(properties);
    KafkaException last = null;
    try (Admin admin = admin()) {
      while (TopicAdmin.remainingMs(deadline, time) > 0) {
        DescribeClusterOptions options =
            new DescribeClusterOptions()
                .timeoutMs(TopicAdmin.intMs(TopicAdmin.remainingMs(deadline, time)));
        try {
          Collection<Node> nodes =
              TopicAdmin.await(
                  admin.describeCluster(options).nodes(), deadline, time, "describe cluster");
          if (nodes.stream().anyMatch(node -> node.id() == nodeId)) {
            return;
          }
        } catch (KafkaException e) {
          last = e;
        }
        time.sleep(READY_POLL_MS);
      }
    }
    throw new KafkaException(
        "broker " + nodeId + " not in the cluster after " + settings.startTimeout(), last);
  }

  private Properties effectiveProperties() {
    if (properties == null) {
      throw new IllegalStateException("broker was never started");
    }
    return properties;
  }

  private static void shutdown(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }

  private static Path createTempDir() {
    try {
      return Files.createTempDirectory("embedded-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory", e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) { // a file a stopping broker still writes
      LOG.warn("could not delete {}: {}", dir, e.toString());
    }
  }
}
