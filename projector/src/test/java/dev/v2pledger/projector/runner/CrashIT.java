package dev.v2pledger.projector.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.runner.Probe.Point;
import dev.v2pledger.projector.testing.Harness;
import dev.v2pledger.projector.testing.Workload;
import dev.v2pledger.schema.testing.Seeds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Crashes: a projector is killed (no commit, no abort, no close: its thread and clients are
 * abandoned) again and again mid-stream, at random moments and at every step of the commit, and a
 * new one with the same instance id takes over each time. Whatever the moment, v2p.mappings ends up
 * with exactly the oracle's records, each once, and the DLQ with each poison event once; and every
 * record the killed projectors' aborted transactions wrote is in the committed log too, identical,
 * which is what lets appliers read uncommitted (DESIGN "The latency path").
 */
@WithKafka
class CrashIT {
  private static final int KILLS = 16;
  private static final Point[] KILL_POINTS = {
    Point.EVENT_PROCESSED, Point.BEFORE_COMMIT, Point.STATE_WRITTEN, Point.OFFSETS_SENT
  };

  @Test
  void killedAgainAndAgainMidStream_mappingsEqualTheOracleWrittenExactlyOnce(KafkaCluster kafka)
      throws Exception {
    long seed = Seeds.pick("CrashIT");
    Random random = new Random(seed);
    Workload workload = new Workload(seed, 60, 6);
    String context = Seeds.context("CrashIT", seed);
    try (Harness harness = new Harness(kafka, "crash", 3, context)) {
      List<String> kills = new ArrayList<>();
      for (int round = 0; round < KILLS; round++) {
        harness.publish(workload.next(150 + random.nextInt(150), 40));
        if (random.nextInt(4) == 0) {
          harness.publishPoison(
              ("poison-" + round).getBytes(StandardCharsets.UTF_8),
              ("garbage " + round).getBytes(StandardCharsets.UTF_8));
        }
        kills.add(crashOnce(harness, random));
      }
      System.out.println("CrashIT kills: " + kills);

      Projector last = harness.start(config(harness));
      harness.publish(workload.next(300, 40));
      harness.awaitCaughtUp();

      harness.assertMatchesOracle();
      assertThat(harness.assertAbortedRecordsAreCommittedToo())
          .as("%s: the kills left aborted records in v2p.mappings", context)
          .isPositive();
      List<ConsumerRecord<byte[], byte[]>> dlq = harness.readAll(harness.topics().dlq());
      Set<String> sources = new HashSet<>();
      for (ConsumerRecord<byte[], byte[]> letter : dlq) {
        sources.add(
            header(letter, DeadLetters.HEADER_PARTITION)
                + "@"
                + header(letter, DeadLetters.HEADER_OFFSET));
      }
      assertThat(dlq).as("%s: dead letters", context).hasSize(harness.poisonPublished());
      assertThat(sources).as("%s: each poison event once", context).hasSize(dlq.size());
      assertThat(last.status().phase()).isEqualTo(ProjectorStatus.Phase.RUNNING);
    }
  }

  /**
   * Starts a projector and kills it: at the n-th pass of a probe point, or from outside after a few
   * commits (anywhere: joining, restoring, polling, committing); from outside as well when it
   * caught up before reaching its point.
   */
  private static String crashOnce(Harness harness, Random random) throws InterruptedException {
    AtomicReference<Projector> self = new AtomicReference<>();
    Point point = KILL_POINTS[random.nextInt(KILL_POINTS.length)];
    boolean fromOutside = random.nextInt(4) == 0;
    int nth = 1 + (point == Point.EVENT_PROCESSED ? random.nextInt(120) : random.nextInt(4));
    long commits = random.nextInt(6);
    AtomicInteger passes = new AtomicInteger();
    Probe probe =
        at -> {
          Projector projector = self.get();
          if (!fromOutside && at == point && projector != null && passes.incrementAndGet() == nth) {
            harness.kill(projector); // on its own thread: it unwinds right after this probe
          }
        };
    Projector projector = harness.start(config(harness), probe);
    self.set(projector);
    long deadline = System.nanoTime() + Harness.DEADLINE.toNanos();
    String what = fromOutside ? "outside after " + commits + " commits" : point + " #" + nth;
    while (!projector.awaitTermination(Duration.ofMillis(2))) {
      boolean due = fromOutside && projector.metrics().commits() >= commits;
      boolean idle = projector.readinessProblem() == null && harness.lag().isEmpty();
      if (due || idle) {
        what = due ? what : "outside, caught up before " + what;
        harness.kill(projector);
      }
      assertThat(System.nanoTime()).as("no kill within %s", Harness.DEADLINE).isLessThan(deadline);
    }
    assertThat(projector.status().phase()).as(what).isEqualTo(ProjectorStatus.Phase.KILLED);
    return what;
  }

  private static ProjectorConfig config(Harness harness) {
    return harness.config(
        "crashy",
        Map.of(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4096), // interleave partitions
        b -> b.maxTxRecords(40).maxTxAge(Duration.ofMillis(20)).idlePoll(Duration.ofMillis(50)));
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
