package dev.v2pledger.devstack.run;

import dev.v2pledger.devstack.stack.ClusterState;
import dev.v2pledger.devstack.workload.Generator;
import dev.v2pledger.devstack.workload.Script;
import dev.v2pledger.devstack.workload.SledSpec;
import dev.v2pledger.devstack.workload.WorkloadConfig;
import java.util.List;

/** Makes the script of a run once its sleds and what the cluster already holds are known. */
@FunctionalInterface
public interface ScriptSource {
  Script script(List<SledSpec> sleds, ClusterState cluster);

  /**
   * A small workload of its own (its own seed, VPCs and instances) that warms the JIT up before the
   * measured one: about {@code options.warmupEvents()} events.
   */
  static Script warmup(RunOptions options, List<SledSpec> sleds, ClusterState cluster) {
    int migrations = sleds.size() < 2 ? 0 : Math.max(1, options.warmupEvents() / 10);
    return Generator.generate(
        WorkloadConfig.defaults(options.seed() ^ 0x5EEDL, sleds.size())
            .withSize(
                Math.min(16, Math.max(1, options.instances())), migrations, options.failureRate())
            .withConcurrency(Math.min(16, options.concurrency()))
            .withReordering(options.reorderRate(), options.lateRate())
            .after(cluster.maxEpoch(), cluster.vnis()),
        sleds);
  }

  /** The seeded generator with {@code options}' workload. */
  static ScriptSource generated(RunOptions options) {
    return (sleds, cluster) ->
        Generator.generate(
            WorkloadConfig.defaults(options.seed(), sleds.size())
                .withSize(options.instances(), options.migrations(), options.failureRate())
                .withConcurrency(options.concurrency())
                .withReordering(options.reorderRate(), options.lateRate())
                .after(cluster.maxEpoch(), cluster.vnis()),
            sleds);
  }
}
