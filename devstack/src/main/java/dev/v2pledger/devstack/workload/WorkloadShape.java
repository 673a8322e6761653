package dev.v2pledger.devstack.workload;

/**
 * How much a workload does and how its publishers race: the part of a {@link WorkloadConfig} that
 * {@code devstack run}'s options set.
 *
 * @param instances live instances the workload keeps (created at the start, replaced when deleted),
 *     at least 1
 * @param migrations live migrations to attempt; the workload ends after the last one settles
 * @param failureRate the share of migrations that fail
 * @param concurrency operations in flight at once, their steps interleaved
 * @param reorderRate the chance that a publisher holds an event back (and the ones behind it), so
 *     other publishers' events overtake it
 * @param lateRate the chance that a publisher sends an event again much later
 */
public record WorkloadShape(
    int instances,
    int migrations,
    double failureRate,
    int concurrency,
    double reorderRate,
    double lateRate) {

  /** Share of events a publisher holds back by default: cross-publisher races in every run. */
  public static final double DEFAULT_REORDER_RATE = 0.05;

  /** Share of events a publisher sends again much later by default. */
  public static final double DEFAULT_LATE_RATE = 0.01;

  /** The defaults of {@code devstack run}. */
  public static final WorkloadShape DEFAULTS = sized(64, 1500, 0.2);

  public WorkloadShape {
    if (instances < 1) { // none publish no event: a verdict on nothing
      throw new IllegalArgumentException(
          "instances must be at least 1 (a workload of none checks nothing), got " + instances);
    }
    if (migrations < 0) {
      throw new IllegalArgumentException("migrations must not be negative, got " + migrations);
    }
    rate(failureRate, "failure rate");
    rate(reorderRate, "reorder rate");
    rate(lateRate, "late redelivery rate");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
  }

  /** This many instances and migrations, with the default concurrency and publisher races. */
  public static WorkloadShape sized(int instances, int migrations, double failureRate) {
    return new WorkloadShape(
        instances, migrations, failureRate, 32, DEFAULT_REORDER_RATE, DEFAULT_LATE_RATE);
  }

  static void rate(double value, String what) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(what + " must be between 0 and 1, got " + value);
    }
  }
}
