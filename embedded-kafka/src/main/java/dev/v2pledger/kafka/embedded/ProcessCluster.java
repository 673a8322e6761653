package dev.v2pledger.kafka.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * A Kafka cluster of stock brokers ({@code kafka.Kafka}), each in a JVM of its own, each both
 * broker and KRaft controller (three voters): every topic, the internal ones included, has 3
 * replicas and {@code min.insync.replicas=2}, so one broker can be killed with {@code kill -9} and
 * the cluster goes on. The brokers' classpath is the test's (it holds the broker); each logs to
 * {@code node-N.log} in the cluster's folder.
 */
public final class ProcessCluster implements KafkaCluster, AutoCloseable {
  private static final int SIZE = 3;
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
    for (int node = 0; node < SIZE; node++) {
      ports[node] = freePort();
      controllerPorts[node] = freePort();
    }
    String clusterId = Uuid.randomUuid().toString();
    List<Process> formats = new ArrayList<>();
    for (int node = 0; node < SIZE; node++) {
      Path props = writeProperties(node);
      formats.add(
          launch(
              node,
              "format",
              List.of(
                  "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", props.toString())));
    }
    try {
      for (int node = 0; node < SIZE; node++) {
        awaitExit(formats.get(node), node, "format");
      }
    } finally {
      formats.forEach(Process::destroyForcibly); // no-ops for those that ended
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
      servers.add("localhost:" + port);
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
    } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
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
    Path props = root.resolve("node-" + node + ".properties");
    processes[node] =
        launch(
            node,
            String.valueOf(starts[node]++),
            List.of(Broker.class.getName(), props.toString()));
  }

  private Process launch(int node, String what, List<String> mainAndArguments) {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                classpath));
    command.addAll(mainAndArguments);
    try {
      return new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(root.resolve("node-" + node + "-" + what + ".log").toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitExit(Process process, int node, String what) {
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IllegalStateException(
            what
                + " of broker "
                + node
                + " failed: "
                + Files.readString(root.resolve("node-" + node + "-" + what + ".log")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Path writeProperties(int node) {
    Map<String, String> settings = new TreeMap<>(BrokerDefaults.properties());
    String voters =
        java.util.stream.IntStream.range(0, SIZE)
            .mapToObj(n -> n + "@localhost:" + controllerPorts[n])
            .collect(Collectors.joining(","));
    settings.putAll(
        Map.ofEntries(
            Map.entry("process.roles", "broker,controller"),
            Map.entry("node.id", String.valueOf(node)),
            Map.entry("controller.quorum.voters", voters),
            Map.entry(
                "listeners",
                "PLAINTEXT://localhost:"
                    + ports[node]
                    + ",CONTROLLER://localhost:"
                    + controllerPorts[node]),
            Map.entry("advertised.listeners", "PLAINTEXT://localhost:" + ports[node]),
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
    StringBuilder text = new StringBuilder();
    settings.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    Path props = root.resolve("node-" + node + ".properties");
    try {
      Files.createDirectories(root);
      Files.writeString(props, text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return props;
  }

  /** Waits until the cluster lists broker {@code node} ({@code present}) or no longer does. */
  private void awaitBrokers(int node, boolean present) {
    long deadline = System.nanoTime() + START_DEADLINE_NANOS;
    try (Admin admin = Admin.create(clientConfig())) {
      while (true) {
        if (present && !processes[node].isAlive()) {
          throw new IllegalStateException("broker " + node + " exited:\n" + logs());
        }
        try {
          Set<Integer> listed =
              admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
                  .map(Node::id)
                  .collect(Collectors.toCollection(TreeSet::new));
          if (listed.contains(node) == present) {
            return;
          }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          // no answer yet: ask again
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "broker "
                  + node
                  + (present ? " not up" : " still listed")
                  + " after 120 s:\n"
                  + logs());
        }
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void awaitFullyReplicated() {
    long deadline = System.nanoTime() + START_DEADLINE_NANOS;
    try (Admin admin = Admin.create(clientConfig())) {
      while (true) {
        try {
          Set<String> names =
              admin
                  .listTopics(new ListTopicsOptions().listInternal(true))
                  .names()
                  .get(5, TimeUnit.SECONDS);
          Map<String, TopicDescription> topics =
              admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS);
          boolean full =
              topics.values().stream()
                  .flatMap(t -> t.partitions().stream())
                  .map(TopicPartitionInfo::isr)
                  .allMatch(isr -> isr.size() == SIZE);
          if (full) {
            return;
          }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          // a metadata request that failed: ask again
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("replicas not in sync within 120 s:\n" + logs());
        }
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A broker process's main: {@code kafka.Kafka}, and a thread that halts the process when its
   * standard input ends, which is when the test JVM that started it is gone (however it died), so
   * no broker outlives its test.
   */
  public static final class Broker {
    private Broker() {}

    public static void main(String[] args) {
      Thread watchdog =
          new Thread(
              () -> {
                try {
                  while (System.in.read() != -1) {
                    // nothing is ever written; read until the parent closes the pipe
                  }
                } catch (IOException e) {
                  // the pipe broke: the parent is gone too
                }
                Runtime.getRuntime().halt(1);
              },
              "parent-watchdog");
      watchdog.setDaemon(true);
      watchdog.start();
      kafka.Kafka.main(args);
    }
  }
}
