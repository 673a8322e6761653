package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.projector.testing.Workload;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The scenario that left a partition with no owner under the classic protocol (static membership,
 * cooperative rebalancing; issue 13): a static member {@code x} holding every partition is told to
 * give some up to a projector that joins, and dies in its revocation callback (its thread stuck
 * there, or its process killed with SIGKILL); x's successor, a projector with the same instance id,
 * starts at once. Under the consumer group protocol the broker refuses the successor until x's
 * member is gone (its revocation times out, or its session ends), then assigns every partition: the
 * two projectors hold them all and project every event.
 */
@WithKafka
class OrphanIT {
  /** How long the stuck member's revocation may take before the broker drops it. */
  private static final int STUCK_MEMBER_POLL_INTERVAL_MS = 5_000;

  @Test
  void staticMemberStuckInItsRevocation_itsSuccessorGetsItsPartitions(KafkaCluster kafka)
      throws Exception {
    Workload workload = Workload.seeded("OrphanIT.orphan-stuck", 30, 3);
    try (Harness harness = new Harness(kafka, "orphan-stuck", 3, workload.context());
        StuckMember x = new StuckMember(harness)) {
      scenario(harness, workload, x::awaitAll, x::awaitRevoking);
    }
  }

  @Test
  void staticMemberKilledInItsRevocation_itsSuccessorGetsItsPartitions(KafkaCluster kafka)
      throws Exception {
    Workload workload = Workload.seeded("OrphanIT.orphan-kill9", 30, 3);
    try (Harness harness = new Harness(kafka, "orphan-kill9", 3, workload.context())) {
      harness.groupSession(Duration.ofSeconds(3), Duration.ofMillis(500));
      Process x = crashingMember(harness);
      CountDownLatch all = new CountDownLatch(1);
      CountDownLatch revoking = new CountDownLatch(1);
      Thread reader = readLines(x, all, revoking);
      try {
        scenario(
            harness,
            workload,
            () -> assertThat(all.await(60, TimeUnit.SECONDS)).as("x holds all three").isTrue(),
            () -> {
              boolean told = revoking.await(60, TimeUnit.SECONDS);
              x.destroyForcibly(); // SIGKILL, in the revocation callback
              x.waitFor(10, TimeUnit.SECONDS);
              return told;
            });
      } finally {
        x.destroyForcibly();
        reader.join(10_000);
      }
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private interface Check {
    boolean passed() throws Exception;
  }

  /**
   * x holds all, a projector joins, x dies revoking, x's successor starts: all placed, all done.
   */
  private static void scenario(
      Harness harness, Workload workload, Step xHoldsAll, Check xDiesRevoking) throws Exception {
    harness.publish(workload.next(300, 20));
    xHoldsAll.run();
    Projector a = harness.start("a");
    assertThat(xDiesRevoking.passed()).as("x is told to give partitions up").isTrue();
    Projector successor = harness.start("x");
    harness.publish(workload.next(300, 20));

    await()
        .atMost(Duration.ofSeconds(45))
        .until(
            () -> {
              Set<Integer> held = new TreeSet<>(a.status().assigned());
              held.addAll(successor.status().assigned());
              return held.equals(Set.of(0, 1, 2))
                  && a.readinessProblem() == null
                  && successor.readinessProblem() == null;
            });
    harness.awaitCaughtUp();
    harness.assertMatchesOracle();
  }

  /** x in this JVM: its thread stops in the revocation callback, its client stays open. */
  private static final class StuckMember implements AutoCloseable {
    private final CountDownLatch revoking = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicBoolean armed = new AtomicBoolean();
    private final Set<TopicPartition> assigned = ConcurrentHashMap.newKeySet();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;

    StuckMember(Harness harness) {
      consumer = member(harness);
      consumer.subscribe(
          List.of(harness.topics().events()),
          new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
              assigned.removeAll(partitions);
              if (!partitions.isEmpty() && armed.get()) {
                revoking.countDown();
                try {
                  released.await(120, TimeUnit.SECONDS); // a crash, as far as the group can tell
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
              assigned.addAll(partitions);
            }
          });
      thread =
          new Thread(
              () -> {
                try {
                  while (released.getCount() > 0) {
                    consumer.poll(Duration.ofMillis(100));
                  }
                } catch (RuntimeException e) {
                  // dropped from the group while stuck: what this test wants
                }
              },
              "member-x");
      thread.start();
    }

    void awaitAll() {
      await().atMost(Harness.DEADLINE).until(() -> assigned.size() == 3);
      armed.set(true);
    }

    boolean awaitRevoking() throws InterruptedException {
      return revoking.await(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      released.countDown();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      consumer.close(CloseOptions.timeout(Duration.ZERO));
    }

    private static KafkaConsumer<byte[], byte[]> member(Harness harness) {
      Map<String, Object> config = new HashMap<>(harness.cluster().clientConfig());
      config.put(ConsumerConfig.GROUP_ID_CONFIG, harness.group());
      config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "x");
      config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
      config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, STUCK_MEMBER_POLL_INTERVAL_MS);
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
  }

  /** x in its own JVM ({@link CrashingMember}). */
  private static Process crashingMember(Harness harness) throws Exception {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xmx128m",
            "-cp",
            classpath,
            CrashingMember.class.getName(),
            harness.cluster().bootstrapServers(),
            harness.group(),
            harness.topics().events(),
            "x")
        .redirectErrorStream(true)
        .start();
  }

  private static Thread readLines(Process process, CountDownLatch all, CountDownLatch revoking) {
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  if (line.startsWith("ASSIGNED 3")) {
                    all.countDown();
                  } else if (line.startsWith("REVOKING")) {
                    revoking.countDown();
                  }
                }
              } catch (Exception e) {
                // the process died
              }
            },
            "member-x-output");
    reader.setDaemon(true);
    reader.start();
    return reader;
  }
}
