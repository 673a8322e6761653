package dev.v2pledger.devstack.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.devstack.report.RunReport;
import dev.v2pledger.devstack.report.TextReport;
import dev.v2pledger.devstack.run.RunOptions;
import dev.v2pledger.devstack.workload.WorkloadShape;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import java.time.Duration;
import java.util.List;

/**
 * Runs of the devstack against a test's broker (as an external cluster), with their report shown.
 */
public final class Runs {
  private Runs() {}

  /** Settings of the local projectors and appliers: {@code devstack run}'s defaults. */
  public static final RunOptions.Local LOCAL =
      new RunOptions.Local(Duration.ofSeconds(5), Duration.ofMillis(5), Duration.ofDays(7), false);

  /** {@code sleds} local sleds and {@code projectors} projectors on {@code kafka}'s cluster. */
  public static RunOptions.Stack stack(
      KafkaCluster kafka, int sleds, int projectors, int partitions) {
    return new RunOptions.Stack(sleds, List.of(), projectors, partitions, kafka.clientConfig());
  }

  /** Options for a small run at {@code rate} events/s: no warm-up, 60 s to converge. */
  public static RunOptions on(
      long seed, RunOptions.Stack stack, WorkloadShape workload, double rate) {
    return on(seed, stack, workload, new RunOptions.Pace(rate, 0, Duration.ofSeconds(60)), LOCAL);
  }

  /**
   * Options for a run under faults: 24 instances, 500 migrations (30 % failing), 1000 events/s, no
   * warm-up, 90 s to converge.
   */
  public static RunOptions faultRun(long seed, RunOptions.Stack stack, RunOptions.Local local) {
    return on(
        seed,
        stack,
        WorkloadShape.sized(24, 500, 0.3),
        new RunOptions.Pace(1000, 0, Duration.ofSeconds(90)),
        local);
  }

  /** Options for a small run: no hop probe, progress on stdout. */
  public static RunOptions on(
      long seed,
      RunOptions.Stack stack,
      WorkloadShape workload,
      RunOptions.Pace pace,
      RunOptions.Local local) {
    return new RunOptions(
        seed,
        stack,
        workload,
        pace,
        local,
        new RunOptions.Rpw(Duration.ofSeconds(30), Duration.ofMillis(1)),
        false,
        System.out);
  }

  /** The run ended right: no violation, every sled's table the truth, converged. */
  public static void assertEndedRight(RunReport report, String as) {
    assertThat(report.violations()).as(as).isEmpty();
    assertThat(report.truthMismatches()).as(as).isEmpty();
    assertThat(report.converged()).as(as).isTrue();
  }

  /** Prints the report (the test output keeps it) and returns it. */
  public static RunReport show(String test, RunReport report) {
    System.out.println(test + ":\n" + TextReport.of(report, null));
    return report;
  }
}
