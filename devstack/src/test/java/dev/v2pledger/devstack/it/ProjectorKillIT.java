package dev.v2pledger.devstack.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.devstack.report.RunReport;
import dev.v2pledger.devstack.run.LedgerRun;
import dev.v2pledger.devstack.run.RunHooks;
import dev.v2pledger.devstack.run.RunOptions;
import dev.v2pledger.devstack.run.RunningStack;
import dev.v2pledger.devstack.run.ScriptSource;
import dev.v2pledger.devstack.stack.VersionAudit;
import dev.v2pledger.devstack.testing.Crashes;
import dev.v2pledger.devstack.testing.Runs;
import dev.v2pledger.devstack.workload.WorkloadShape;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.projector.runner.Projector;
import dev.v2pledger.projector.runner.ProjectorConfig;
import dev.v2pledger.projector.runner.ProjectorStatus;
import dev.v2pledger.schema.testing.Seeds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The projector killed mid-run (no commit, no abort, no close, as a crash) while events keep
 * coming, then started again with the same instance id (it fences its predecessor and restores its
 * state): every sled ends right, and {@code v2p.mappings}, read back in log order, never shows a
 * key's version going down.
 */
@WithKafka
class ProjectorKillIT {
  @Test
  void projectorKilledAndRestartedMidRun_convergesWithNoVersionRegression(KafkaCluster kafka)
      throws Exception {
    long seed = Seeds.pick("ProjectorKillIT");
    RunOptions options =
        Runs.on(seed, Runs.stack(kafka, 3, 1, 4), WorkloadShape.sized(24, 300, 0.3), 1500);
    List<String> phases = new ArrayList<>();
    Crashes crashes = new Crashes();
    RunHooks hooks =
        new RunHooks() {
          @Override
          public Projector startProjector(ProjectorConfig config) {
            return crashes.start(config);
          }

          @Override
          public void afterEvent(long published, RunningStack stack) {
            if (published == 700) {
              crashes.kill(stack.kafka().projectors().get(0));
              phases.add(
                  "killed after event "
                      + published
                      + ": "
                      + stack.kafka().projectors().get(0).status().phase());
            } else if (published == 1200) {
              stack.kafka().restartProjector(0);
              crashes.closeAbandoned();
              phases.add("restarted after event " + published);
            }
          }
        };

    RunReport report =
        Runs.show(
            "ProjectorKillIT seed " + seed,
            LedgerRun.run(options, ScriptSource.generated(options), hooks).report());
    VersionAudit audit = VersionAudit.read(kafka.clientConfig(), Duration.ofSeconds(30));
    System.out.println(
        "ProjectorKillIT: "
            + phases
            + "; v2p.mappings: "
            + audit.records()
            + " records, "
            + audit.keys()
            + " keys, regressions "
            + audit.regressions());

    assertThat(phases).hasSize(2).first().asString().endsWith(ProjectorStatus.Phase.KILLED.name());
    Runs.assertEndedRight(report, Seeds.replay(seed));
    assertThat(audit.records()).isPositive();
    assertThat(audit.regressions()).as(Seeds.replay(seed)).isEmpty();
  }
}
