package dev.v2pledger.devstack.run;

import dev.v2pledger.devstack.stack.ClusterState;
import dev.v2pledger.devstack.workload.Generator;
import dev.v2pledger.devstack.workload.Script;
import dev.v2pledger.devstack.workload.SledSpec;
import dev.v2pledger.devstack.workload.WorkloadConfig;
import dev.v2pledger.devstack.workload.WorkloadShape;
import java.util.List;

/** Makes the script of a run once its sleds and what the cluster already holds are known. */
@FunctionalInterface
public interface ScriptSource {
  Script script(List<SledSpec> sleds, ClusterState cluster);

  /**
   * A small workload of its own (its own seed, VPCs and instances) that warms the JIT up before the
   * measured one: about {@code options.pace().warmupEvents()} events.
   */
  static Script warmup(RunOptions options, List<SledSpec> sleds, ClusterState cluster) {
    int migrations = sleds.size() < 2 ? 0 : Math.max(1, options.pace().warmupEvents() / 10);
    WorkloadShape measured = options.workload();
    return Generator.generate(
        WorkloadConfig.of(
                options.seed() ^ 0x5EEDL,
                sleds.size(),
                new WorkloadShape(
                    Math.min(16, Math.max(1, measured.instances())),
                    migrations,
                    measured.failureRate(),
                    Math.min(16, measured.concurrency()),
                    measured.reorderRate(),
                    measured.lateRate()))
            .after(cluster.maxEpoch(), cluster.vnis()),
        sleds);
  }

  /** The seeded generator with {@code options}' workload. */
  static ScriptSource generated(RunOptions options) {
    return (sleds, cluster) ->
        Generator.generate(
            WorkloadConfig.of(options.seed(), sleds.size(), options.workload())
                .after(cluster.maxEpoch(), cluster.vnis()),
            sleds);
  }
}
