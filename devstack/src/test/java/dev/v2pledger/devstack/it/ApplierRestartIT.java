package dev.v2pledger.devstack.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.devstack.report.RunReport;
import dev.v2pledger.devstack.run.LedgerRun;
import dev.v2pledger.devstack.run.RunHooks;
import dev.v2pledger.devstack.run.RunOptions;
import dev.v2pledger.devstack.run.ScriptSource;
import dev.v2pledger.devstack.sled.LocalSled;
import dev.v2pledger.devstack.testing.Runs;
import dev.v2pledger.devstack.workload.WorkloadShape;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import dev.v2pledger.kafka.embedded.junit.WithKafka;
import dev.v2pledger.schema.testing.Seeds;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Appliers restarted mid-run (the device keeps its table, as a kernel driver would; XDE's side
 * effects go on while the applier is down): the new applier reads the snapshot, repairs and catches
 * up, and every sled ends right.
 */
@WithKafka
class ApplierRestartIT {
  @Test
  void appliersRestartedMidRun_converge(KafkaCluster kafka) throws Exception {
    long seed = Seeds.pick("ApplierRestartIT");
    RunOptions options =
        Runs.on(seed, Runs.stack(kafka, 4, 1, 4), WorkloadShape.sized(24, 300, 0.3), 1500);
    List<String> restarts = new ArrayList<>();
    RunHooks hooks =
        RunHooks.afterEvents(
            (published, stack) -> {
              if (published == 800 || published == 1600 || published == 2000) {
                int sled = (int) (published / 800) % stack.sleds().size();
                ((LocalSled) stack.sleds().get(sled)).restartApplier();
                restarts.add("sled " + sled + " after event " + published);
              }
            });

    RunReport report =
        Runs.show(
            "ApplierRestartIT seed " + seed,
            LedgerRun.run(options, ScriptSource.generated(options), hooks).report());
    System.out.println("ApplierRestartIT restarts: " + restarts);

    assertThat(restarts).hasSize(3);
    assertThat(report.notes()).anyMatch(note -> note.contains("applier restarted"));
    Runs.assertEndedRight(report, Seeds.replay(seed));
  }
}
