package dev.v2pledger.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka cluster of stock brokers ({@code kafka.Kafka}), each in a JVM of its own, each both
 * broker and KRaft controller (three voters): every topic, the internal ones included, has 3
 * replicas and {@code min.insync.replicas=2}, so one broker can be killed with {@code kill -9} and
 * the cluster goes on. The brokers' classpath is the test's (it holds the broker); the log
 * directories are formatted in this JVM ({@link StorageFormatter}); each start of node N logs to
 * {@code node-N-<start>.log} in the cluster's folder.
 */
public final class ProcessCluster implements KafkaCluster, AutoCloseable {
  private static final int SIZE = 3;
  private static final String HOST = "localhost";
  private static final long START_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(120);

  private final Path root;
  private final String classpath =
      System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  private final int[] ports = new int[SIZE];
  private final int[] controllerPorts = new int[SIZE];
  private final Process[] processes = new Process[SIZE];
  private final int[] starts = new int[SIZE];

  /** Kills the brokers if this JVM ends without {@link #close()}. */
  private final Thread reaper =
      new Thread(
          () -> {
            for (Process process : processes) {
              if (process != null) {
                process.destroyForcibly();
              }
            }
          },
          "process-cluster-reaper");

  private ProcessCluster(Path root) {
    this.root = root;
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /** Formats and starts three brokers under {@code root}; returns once all three serve. */
  public static ProcessCluster start(Path root) {
    ProcessCluster cluster = new ProcessCluster(root);
    try {
      cluster.formatAndStart();
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void formatAndStart() {
    List<String> names = new ArrayList<>();
    for (int node = 0; node < SIZE; node++) {
      names.add("broker-" + node);
      names.add("controller-" + node);
    }
    Map<String, Integer> free = FreePorts.pick(HOST, names);
    for (int node = 0; node < SIZE; node++) {
      ports[node] = free.get("broker-" + node);
      controllerPorts[node] = free.get("controller-" + node);
    }
    String clusterId = Uuid.randomUuid().toString();
    for (int node = 0; node < SIZE; node++) {
      StorageFormatter.format(properties(node), propertiesFile(node), clusterId, List.of());
    }
    for (int node = 0; node < SIZE; node++) {
      startNode(node);
    }
    for (int node = 0; node < SIZE; node++) {
      awaitBrokers(node, true);
    }
  }

  @Override
  public String bootstrapServers() {
    List<String> servers = new ArrayList<>();
    for (int port : ports) {
      servers.add(HOST + ":" + port);
    }
    return String.join(",", servers);
  }

  @Override
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    return config;
  }

  /**
   * Kills broker {@code node} with SIGKILL ({@code kill -9}), waits until its process is gone and
   * until the others no longer list it (the controllers fenced it: its partitions have new leaders
   * and it left their ISRs), so a second kill can never take two of the three at once.
   */
  public void kill(int node) {
    destroy(node);
    awaitBrokers(node, false);
  }

  /**
   * Starts broker {@code node} again on its log directory, and waits until it serves and every
   * partition, the internal topics' included, has all three replicas in sync again.
   */
  public void restart(int node) {
    startNode(node);
    awaitBrokers(node, true);
    awaitFullyReplicated();
  }

  /** The broker that coordinates transactional id {@code transactionalId}. */
  public int transactionCoordinator(String transactionalId) {
    try (Admin admin = admin()) {
      return admin
          .describeTransactions(List.of(transactionalId))
          .description(transactionalId)
          .get(30, TimeUnit.SECONDS)
          .coordinatorId();
    } catch (Exception e) {
      throw new IllegalStateException("the coordinator of " + transactionalId, e);
    }
  }

  /** The broker that coordinates consumer group {@code group}. */
  public int groupCoordinator(String group) {
    try (Admin admin = admin()) {
      return admin
          .describeConsumerGroups(List.of(group))
          .describedGroups()
          .get(group)
          .get(30, TimeUnit.SECONDS)
          .coordinator()
          .id();
    } catch (Exception e) {
      throw new IllegalStateException("the coordinator of group " + group, e);
    }
  }

  /** What each broker's log says, for a failure message. */
  public String logs() {
    StringBuilder out = new StringBuilder();
    for (int node = 0; node < SIZE; node++) {
      for (int start = 0; start < starts[node]; start++) {
        Path log = root.resolve("node-" + node + "-" + start + ".log");
        try {
          out.append("== ").append(log.getFileName()).append('\n');
          List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
          lines
              .subList(Math.max(0, lines.size() - 20), lines.size())
              .forEach(line -> out.append(line).append('\n'));
        } catch (IOException e) {
          out.append("(unreadable: ").append(e.getMessage()).append(")\n");
        }
      }
    }
    return out.toString();
  }

  /** Kills every broker still running, all at once, and waits until they are gone. */
  @Override
  public void close() {
    for (Process process : processes) {
      if (process != null) {
        process.destroyForcibly();
      }
    }
    boolean interrupted = Thread.interrupted(); // a test's timeout must not leave brokers behind
    try {
      for (Process process : processes) {
        if (process != null) {
          process.onExit().get(30, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      // the process was asked to die; nothing more a test can do
    } finally {
      Runtime.getRuntime().removeShutdownHook(reaper);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void destroy(int node) {
    Process process = processes[node];
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("broker " + node + " did not die");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void startNode(int node) {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx384m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            classpath,
            ProcessBroker.class.getName(),
            propertiesFile(node).toString());
    Path log = root.resolve("node-" + node + "-" + starts[node]++ + ".log");
    try {
      processes[node] =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path propertiesFile(int node) {
    return root.resolve("node-" + node + ".properties");
  }

  private Properties properties(int node) {
    Properties settings = new Properties();
    settings.putAll(BrokerDefaults.properties());
    String voters =
        IntStream.range(0, SIZE)
            .mapToObj(n -> n + "@" + HOST + ":" + controllerPorts[n])
            .collect(Collectors.joining(","));
    settings.putAll(
        Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", String.valueOf(node)),
            Map.entry("controller.quorum.voters", voters),
            Map.entry(
                "listeners",
                "PLAINTEXT://"
                    + HOST
                    + ":"
                    + ports[node]
                    + ",CONTROLLER://"
                    + HOST
                    + ":"
                    + controllerPorts[node]),
            Map.entry("advertised.listeners", "PLAINTEXT://" + HOST + ":" + ports[node]),
            Map.entry("controller.listener.names", "CONTROLLER"),
            Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
            Map.entry("inter.broker.listener.name", "PLAINTEXT"),
            Map.entry("log.dirs", root.resolve("data-" + node).toString()),
            Map.entry("default.replication.factor", "3"),
            Map.entry("min.insync.replicas", "2"),
            Map.entry("offsets.topic.replication.factor", "3"),
            Map.entry("transaction.state.log.replication.factor", "3"),
            Map.entry("transaction.state.log.min.isr", "2"),
            Map.entry("share.coordinator.state.topic.replication.factor", "3"),
            Map.entry("share.coordinator.state.topic.min.isr", "2"),
            Map.entry("unclean.leader.election.enable", "false"),
            // a dead broker is fenced, and leaves every ISR, within 3 s (default 9 s)
            Map.entry("broker.session.timeout.ms", "3000"),
            Map.entry("broker.heartbeat.interval.ms", "500")));
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return settings;
  }

  /** Waits until the cluster lists broker {@code node} ({@code present}) or no longer does. */
  private void awaitBrokers(int node, boolean present) {
    await(
        "broker " + node + (present ? " up" : " fenced"),
        admin -> {
          if (present && !processes[node].isAlive()) {
            throw new IllegalStateException("broker " + node + " exited:\n" + logs());
          }
          return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
                  .anyMatch(n -> n.id() == node)
              == present;
        });
  }

  private void awaitFullyReplicated() {
    await(
        "every replica in sync",
        admin -> {
          Set<String> names =
              admin
                  .listTopics(new ListTopicsOptions().listInternal(true))
                  .names()
                  .get(5, TimeUnit.SECONDS);
          return admin
              .describeTopics(names)
              .allTopicNames()
              .get(5, TimeUnit.SECONDS)
              .values()
              .stream()
              .flatMap(t -> t.partitions().stream())
              .allMatch(p -> p.isr().size() == SIZE);
        });
  }

  /** A question to the cluster; a request that fails or times out counts as "not yet". */
  @FunctionalInterface
  private interface Check {
    boolean holds(Admin admin) throws ExecutionException, TimeoutException, InterruptedException;
  }

  /** Asks {@code check} until it holds; fails with the brokers' logs after 120 s. */
  private void await(String what, Check check) {
    long deadline = System.nanoTime() + START_DEADLINE_NANOS;
    try (Admin admin = Admin.create(clientConfig())) {
      while (true) {
        try {
          if (check.holds(admin)) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          // no answer yet: ask again
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("not within 120 s: " + what + "\n" + logs());
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
