package dev.v2pledger.devstack.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.devstack.report.RunReport;
import dev.v2pledger.devstack.run.LedgerRun;
import dev.v2pledger.devstack.run.RunHooks;
import dev.v2pledger.devstack.run.RunOptions;
import dev.v2pledger.devstack.run.RunningStack;
import dev.v2pledger.devstack.run.ScriptSource;
import dev.v2pledger.devstack.sled.LocalSled;
import dev.v2pledger.devstack.stack.VersionAudit;
import dev.v2pledger.devstack.testing.Crashes;
import dev.v2pledger.devstack.testing.Poison;
import dev.v2pledger.devstack.testing.Runs;
import dev.v2pledger.kafka.embedded.EmbeddedKafkaBroker;
import dev.v2pledger.projector.runner.Projector;
import dev.v2pledger.projector.runner.ProjectorConfig;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.testing.Seeds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fault runs (issue 7): during a seeded devstack workload on its own broker, projectors are killed
 * as a crash would (no commit, no abort, no close) and started again, appliers are stopped and
 * started again, the broker is killed (unclean: log recovery on start) and started on the same log
 * directories, XDE calls fail, and poison events are published. Afterwards every sled is right (0
 * violations against the oracle), no key's version goes down in {@code v2p.mappings}, and no event
 * is lost: every published event is in {@code v2p.events}, the projectors' committed offsets reach
 * its end (all folded or dead-lettered), and the dead-letter topic holds exactly the poison events.
 *
 * <p>This run found two problems, both handled now: a hanging transaction on a changelog partition
 * after a broker restart (the projector aborts it before restoring), and a partition left with no
 * owner when a static member crashed between the two halves of a cooperative rebalance (the group
 * is shaken after 15 s); see the projector's README. At its deadline it prints what the projector
 * threads are doing, for whatever comes next.
 */
class FaultRunIT {
  static final int POISON_EVERY = 900;
  static final int LAST_KILL = 4000;

  /** Events after which the broker is killed and started again. */
  static final List<Long> BROKER_RESTARTS = List.of(1500L, 3500L);

  /**
   * Faults at fixed points (0: kill a projector, 1: restart an applier, 2: fail XDE calls); drawn
   * elsewhere. Each kind the test asserts on has a fixed point: the 20-odd drawn ones miss XDE
   * failures for about one seed in 5,000 (-Dv2p.seed=2694).
   */
  static final Map<Long, Integer> FIXED = Map.of(750L, 1, 1000L, 0, 1750L, 2, 2250L, 1, 2500L, 0);

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void killsRestartsBrokerRestartsAndXdeFailures_endRight_withNothingLost() throws Exception {
    long seed = Seeds.pick("FaultRunIT");
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().start()) {
      RunOptions options =
          Runs.faultRun(
              seed,
              Runs.stack(broker, 4, 2, 4),
              // the isolation whose safety needs an argument (DESIGN "The latency path"): aborted
              // and zombie records reach the sleds here; read_committed runs in every other run
              new RunOptions.Local(
                  Duration.ofSeconds(5), Duration.ofMillis(5), Duration.ofDays(7), true));
      Faults faults = new Faults(new Random(seed), broker);
      RunReport report =
          Runs.show(
              "FaultRunIT seed " + seed,
              LedgerRun.run(options, ScriptSource.generated(options), faults).report());
      VersionAudit audit = VersionAudit.read(broker.clientConfig(), Duration.ofSeconds(30));
      Ledger ledger = Ledger.read(broker.clientConfig());
      long published = report.events() + faults.poison;
      System.out.printf(
          "FaultRunIT seed %d: %d projector kills, %d projector restarts, %d applier restarts,"
              + " %d broker restarts, %d XDE failures injected, %d poison events; events published"
              + " %d, in v2p.events %d, consumed (committed) %d, folded %d, dead-lettered %d;"
              + " v2p.mappings %d records, %d keys, %d regressions%n  log: %s%n",
          seed,
          faults.projectorKills,
          faults.projectorRestarts,
          faults.applierRestarts,
          faults.brokerRestarts,
          faults.xdeFailures,
          faults.poison,
          published,
          ledger.inLog,
          ledger.committed,
          ledger.committed - ledger.deadLettered,
          ledger.deadLettered,
          audit.records(),
          audit.keys(),
          audit.regressions().size(),
          faults.log);

      assertThat(report.events()).as("long enough for the schedule").isGreaterThan(LAST_KILL + 500);
      assertThat(faults.projectorKills).as(Seeds.replay(seed)).isGreaterThanOrEqualTo(2);
      assertThat(faults.applierRestarts).as(Seeds.replay(seed)).isGreaterThanOrEqualTo(2);
      assertThat(faults.brokerRestarts).as(Seeds.replay(seed)).isEqualTo(2);
      assertThat(faults.xdeFailures).as(Seeds.replay(seed)).isPositive();
      assertThat(report.violations()).as(Seeds.replay(seed)).isEmpty();
      assertThat(report.truthMismatches()).as(Seeds.replay(seed)).isEmpty();
      assertThat(report.converged()).as("%s: %s", Seeds.replay(seed), report.notes()).isTrue();
      assertThat(audit.regressions()).as(Seeds.replay(seed)).isEmpty();
      assertThat(ledger.inLog)
          .as("%s: every published event is in the log", Seeds.replay(seed))
          .isEqualTo(published);
      assertThat(ledger.committed)
          .as("%s: consumed = folded + dead-lettered = in the log", Seeds.replay(seed))
          .isEqualTo(ledger.inLog);
      assertThat(ledger.deadLettered)
          .as("%s: the poison events, once each", Seeds.replay(seed))
          .isEqualTo(faults.poison);
    }
  }

  /** The fault schedule, drawn from the seed, run on the workload's thread after each event. */
  static final class Faults implements RunHooks {
    final Random random;
    final EmbeddedKafkaBroker broker;
    final List<String> log = new ArrayList<>();
    final Map<Integer, Long> killedProjectors = new TreeMap<>();
    final Crashes crashes = new Crashes();
    int projectorKills;
    int projectorRestarts;
    int applierRestarts;
    int brokerRestarts;
    int xdeFailures;
    int poison;

    Faults(Random random, EmbeddedKafkaBroker broker) {
      this.random = random;
      this.broker = broker;
    }

    @Override
    public Projector startProjector(ProjectorConfig config) {
      return crashes.start(config);
    }

    @Override
    public void afterEvent(long published, RunningStack stack) {
      // a killed projector comes back 300 events later, with the same instance id
      killedProjectors
          .entrySet()
          .removeIf(
              killed -> {
                if (published - killed.getValue() < 300) {
                  return false;
                }
                stack.kafka().restartProjector(killed.getKey());
                crashes.closeAbandoned();
                projectorRestarts++;
                log.add(published + ": projector " + killed.getKey() + " restarted");
                return true;
              });
      if (BROKER_RESTARTS.contains(published)) {
        broker.kill();
        broker.start();
        brokerRestarts++;
        log.add(published + ": broker killed and started on the same log directories");
      }
      if (published % POISON_EVERY == 0) {
        Poison.publish(broker.clientConfig(), "poison-" + published);
        poison++;
      }
      if (published % 250 != 0) {
        return;
      }
      // two projector kills, two applier restarts and an XDE failure whatever the seed draws; the
      // rest is drawn
      Integer fixed = FIXED.get(published);
      switch (fixed != null ? fixed : random.nextInt(3)) {
        case 0:
          int projector = random.nextInt(stack.kafka().projectors().size());
          // one down at a time, and none late in the run: each comes back before the workload ends
          if (killedProjectors.isEmpty() && published <= LAST_KILL) {
            crashes.kill(stack.kafka().projectors().get(projector));
            killedProjectors.put(projector, published);
            projectorKills++;
            log.add(published + ": projector " + projector + " killed");
          }
          break;
        case 1:
          int sled = random.nextInt(stack.sleds().size());
          ((LocalSled) stack.sleds().get(sled)).restartApplier();
          applierRestarts++;
          log.add(published + ": applier " + sled + " restarted");
          break;
        default:
          int failing = random.nextInt(stack.sleds().size());
          int calls = 1 + random.nextInt(8);
          ((LocalSled) stack.sleds().get(failing)).device().failNextCalls(calls);
          xdeFailures += calls;
          log.add(published + ": next " + calls + " XDE calls fail on sled " + failing);
      }
    }

    /** When the projectors have not caught up, what their threads are doing (for the report). */
    @Override
    public void afterConvergence(RunningStack stack) {
      Map<Integer, Long> end = stack.kafka().endOffsets(Topics.EVENTS);
      if (end.equals(stack.kafka().projectorOffsets())) {
        return;
      }
      System.out.println("FaultRunIT: projectors behind at the deadline; their threads:");
      Thread.getAllStackTraces()
          .forEach(
              (thread, frames) -> {
                if (thread.getName().contains("projector")) {
                  System.out.println("  thread " + thread.getName() + " " + thread.getState());
                  for (StackTraceElement frame : frames) {
                    System.out.println("    at " + frame);
                  }
                }
              });
    }
  }

  /** What the log holds at the end, as a read_committed reader sees it. */
  record Ledger(long inLog, long committed, long deadLettered) {
    static Ledger read(Map<String, Object> kafka) throws Exception {
      try (Admin admin = Admin.create(kafka)) {
        long inLog = sum(endOffsets(admin, Topics.EVENTS));
        ListConsumerGroupOffsetsResult group =
            admin.listConsumerGroupOffsets(ProjectorConfig.DEFAULT_GROUP_ID);
        long committed = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e :
            group.partitionsToOffsetAndMetadata().get().entrySet()) {
          if (e.getKey().topic().equals(Topics.EVENTS) && e.getValue() != null) {
            committed += e.getValue().offset();
          }
        }
        return new Ledger(inLog, committed, countCommitted(kafka, admin, Topics.EVENTS_DLQ));
      }
    }

    static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
      int partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        request.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> out = new HashMap<>();
      admin
          .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .all()
          .get()
          .forEach((tp, info) -> out.put(tp, info.offset()));
      return out;
    }

    /** Records a read_committed consumer reads (offsets also count transaction markers). */
    static long countCommitted(Map<String, Object> kafka, Admin admin, String topic)
        throws Exception {
      Map<TopicPartition, Long> end = endOffsets(admin, topic);
      Map<String, Object> config = new HashMap<>(kafka);
      config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      long count = 0;
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        consumer.assign(end.keySet());
        consumer.seekToBeginning(end.keySet());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (end.entrySet().stream()
            .anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
          if (System.nanoTime() > deadline) {
            throw new AssertionError("could not read " + topic + " to its end within 30 s");
          }
          count += consumer.poll(Duration.ofMillis(200)).count();
        }
      }
      return count;
    }

    static long sum(Map<TopicPartition, Long> offsets) {
      return offsets.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
