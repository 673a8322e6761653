package dev.v2pledger.devstack.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.v2pledger.devstack.report.RunReport;
import dev.v2pledger.devstack.run.LedgerRun;
import dev.v2pledger.devstack.run.RunHooks;
import dev.v2pledger.devstack.run.RunOptions;
import dev.v2pledger.devstack.run.RunningStack;
import dev.v2pledger.devstack.run.ScriptSource;
import dev.v2pledger.devstack.stack.VersionAudit;
import dev.v2pledger.devstack.testing.Runs;
import dev.v2pledger.kafka.embedded.ProcessCluster;
import dev.v2pledger.projector.runner.ProjectorConfig;
import dev.v2pledger.schema.testing.Seeds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole system on three stock brokers, each in a JVM of its own ({@link ProcessCluster}: every
 * topic 3 replicas, {@code min.insync.replicas=2}), while a seeded workload runs: the coordinator
 * of the projectors' group is killed with {@code kill -9} and started again on its log directory,
 * then the coordinator of a projector's transactions. Projectors, appliers, their acks and the
 * publisher all ride through on their clients (nothing restarted), and the run ends right: every
 * sled's table is the oracle's, no key's version goes down in {@code v2p.mappings}, and every
 * published event is in {@code v2p.events} and folded.
 */
class BrokerFailoverIT {
  /** Events after which a broker is killed, and after which it is started again. */
  static final long FIRST_KILL = 1000;

  static final long FIRST_RESTART = 1800;
  static final long SECOND_KILL = 2600;
  static final long SECOND_RESTART = 3400;

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void brokersKilledUnderLoad_everySledEndsRight_nothingLost(@TempDir Path dir) throws Exception {
    long seed = Seeds.pick("BrokerFailoverIT");
    try (ProcessCluster kafka = ProcessCluster.start(dir)) {
      RunOptions options = Runs.faultRun(seed, Runs.stack(kafka, 4, 2, 3), Runs.LOCAL);
      Kills kills = new Kills(kafka);
      RunReport report =
          Runs.show(
              "BrokerFailoverIT seed " + seed,
              LedgerRun.run(options, ScriptSource.generated(options), kills).report());
      VersionAudit audit = VersionAudit.read(kafka.clientConfig(), Duration.ofSeconds(30));
      FaultRunIT.Ledger ledger = FaultRunIT.Ledger.read(kafka.clientConfig());
      System.out.printf(
          "BrokerFailoverIT seed %d: %s; events published %d, in v2p.events %d, consumed"
              + " (committed) %d; v2p.mappings %d records, %d regressions%n",
          seed,
          kills.log,
          report.events(),
          ledger.inLog(),
          ledger.committed(),
          audit.records(),
          audit.regressions().size());

      assertThat(report.events()).as("long enough for the kills").isGreaterThan(SECOND_RESTART);
      assertThat(kills.log).as(Seeds.replay(seed)).hasSize(4);
      Runs.assertEndedRight(report, Seeds.replay(seed) + ": " + kills.log);
      assertThat(audit.regressions()).as(Seeds.replay(seed)).isEmpty();
      assertThat(ledger.inLog())
          .as("%s: every published event is in the log", Seeds.replay(seed))
          .isEqualTo(report.events());
      assertThat(ledger.committed())
          .as("%s: every event in the log consumed (committed)", Seeds.replay(seed))
          .isEqualTo(ledger.inLog());
      assertThat(ledger.deadLettered())
          .as("%s: nothing dead-lettered", Seeds.replay(seed))
          .isZero();
    }
  }

  /**
   * The kills and restarts. The workload's thread picks the broker after the events above and goes
   * on publishing; a thread of the failover's own kills it, waits until the others have fenced it,
   * and starts it again once the workload has reached the restart point. A second failover begins
   * only after the first one's broker is back, its replicas in sync.
   */
  static final class Kills implements RunHooks {
    final ProcessCluster kafka;
    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong published = new AtomicLong();
    java.util.concurrent.@Nullable CompletableFuture<Void> failover;

    Kills(ProcessCluster kafka) {
      this.kafka = kafka;
    }

    @Override
    public void afterEvent(long count, RunningStack stack) {
      published.set(count);
      if (count == FIRST_KILL) {
        failover(
            kafka.groupCoordinator(ProjectorConfig.DEFAULT_GROUP_ID),
            "group coordinator",
            FIRST_RESTART);
      } else if (count == SECOND_KILL) {
        awaitFailover();
        String instance = stack.kafka().projectors().get(0).instanceId();
        String transactionalId =
            ProjectorConfig.builder(Map.of(), instance).build().transactionalId();
        failover(
            kafka.transactionCoordinator(transactionalId),
            "transaction coordinator",
            SECOND_RESTART);
      }
    }

    @Override
    public void afterConvergence(RunningStack stack) {
      awaitFailover();
    }

    private void failover(int broker, String role, long restartAt) {
      long killedAt = published.get();
      failover =
          CompletableFuture.runAsync(
              () -> {
                kafka.kill(broker);
                log.add(killedAt + ": broker " + broker + " (" + role + ") killed with kill -9");
                await()
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> published.get() >= restartAt);
                kafka.restart(broker);
                log.add(
                    published.get() + ": broker " + broker + " started again, replicas in sync");
              });
    }

    private void awaitFailover() {
      if (failover != null) {
        failover.join();
      }
    }
  }
}
