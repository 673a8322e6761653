package dev.v2pledger.devstack.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.devstack.report.RunReport;
import dev.v2pledger.devstack.report.TextReport;
import dev.v2pledger.devstack.run.RunOptions;
import dev.v2pledger.kafka.embedded.KafkaCluster;
import java.time.Duration;

/**
 * Runs of the devstack against a test's broker (as an external cluster), with their report shown.
 */
public final class Runs {
  private Runs() {}

  /** Options for a small run on {@code kafka}: no warm-up, progress on stdout. */
  public static RunOptions.Builder on(KafkaCluster kafka, long seed) {
    return RunOptions.builder(seed)
        .external(kafka.clientConfig())
        .warmup(0)
        .hopProbe(false)
        .convergeTimeout(Duration.ofSeconds(60))
        .progress(System.out, Duration.ofSeconds(2));
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
