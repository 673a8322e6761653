package dev.v2pledger.devstack.workload;

import dev.v2pledger.schema.domain.Vni;
import java.util.Set;

/**
 * What the generator does.
 *
 * @param seed names the whole workload: the same seed (and base) gives the same steps
 * @param sleds sleds in the rack
 * @param instances live instances the workload keeps (created at the start, replaced when deleted)
 * @param migrations live migrations to attempt; the workload ends after the last one settles
 * @param failureRate the share of migrations that fail
 * @param concurrency operations in flight at once, their steps interleaved
 * @param duplicateRate the chance that an event is published twice (at once or later)
 * @param staleRate the chance that an operation ends with a stale report re-sent
 * @param reuseRate the chance that a new NIC takes an IP another instance released
 * @param reorderRate the chance that a publisher holds an event back (and the ones behind it), so
 *     other publishers' events overtake it
 * @param lateRate the chance that a publisher sends an event again much later
 * @param vpcs VPCs (VNIs) the instances live in
 * @param epochBase {@code ip_epoch} values start above this (the highest epoch a shared cluster
 *     already holds), and ids are drawn from the seed mixed with it, so a rerun on the same cluster
 *     does not collide with an earlier one
 * @param avoidVnis VNIs the workload must not use (already in use on a shared cluster)
 */
public record WorkloadConfig(
    long seed,
    int sleds,
    int instances,
    int migrations,
    double failureRate,
    int concurrency,
    double duplicateRate,
    double staleRate,
    double reuseRate,
    double reorderRate,
    double lateRate,
    int vpcs,
    long epochBase,
    Set<Vni> avoidVnis) {

  public WorkloadConfig {
    if (sleds < 1) {
      throw new IllegalArgumentException("at least one sled, got " + sleds);
    }
    if (instances < 0) {
      throw new IllegalArgumentException("instances must not be negative, got " + instances);
    }
    if (migrations < 0) {
      throw new IllegalArgumentException("migrations must not be negative, got " + migrations);
    }
    if (migrations > 0 && sleds < 2) {
      throw new IllegalArgumentException("migrations need at least two sleds");
    }
    if (migrations > 0 && instances < 1) {
      throw new IllegalArgumentException("migrations need at least one instance");
    }
    rate(failureRate, "failure rate");
    rate(duplicateRate, "duplicate rate");
    rate(staleRate, "stale rate");
    rate(reuseRate, "reuse rate");
    rate(reorderRate, "reorder rate");
    rate(lateRate, "late redelivery rate");
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
    }
    if (vpcs < 1) {
      throw new IllegalArgumentException("at least one VPC, got " + vpcs);
    }
    if (epochBase < 0) {
      throw new IllegalArgumentException("negative epoch base " + epochBase);
    }
    avoidVnis = Set.copyOf(avoidVnis);
  }

  private static void rate(double value, String what) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(what + " must be between 0 and 1, got " + value);
    }
  }

  /** Share of events a publisher holds back by default: cross-publisher races in every run. */
  public static final double DEFAULT_REORDER_RATE = 0.05;

  /** Share of events a publisher sends again much later by default. */
  public static final double DEFAULT_LATE_RATE = 0.01;

  /** The same workload with these publisher races. */
  public WorkloadConfig withReordering(double newReorderRate, double newLateRate) {
    return new WorkloadConfig(
        seed,
        sleds,
        instances,
        migrations,
        failureRate,
        concurrency,
        duplicateRate,
        staleRate,
        reuseRate,
        newReorderRate,
        newLateRate,
        vpcs,
        epochBase,
        avoidVnis);
  }

  /** The defaults of {@code devstack run}, for {@code sleds} sleds. */
  public static WorkloadConfig defaults(long seed, int sleds) {
    return new WorkloadConfig(
        seed,
        sleds,
        64,
        1500,
        0.2,
        32,
        0.1,
        0.2,
        0.5,
        DEFAULT_REORDER_RATE,
        DEFAULT_LATE_RATE,
        4,
        0,
        Set.of());
  }

  public WorkloadConfig withSize(int newInstances, int newMigrations, double newFailureRate) {
    return new WorkloadConfig(
        seed,
        sleds,
        newInstances,
        newMigrations,
        newFailureRate,
        concurrency,
        duplicateRate,
        staleRate,
        reuseRate,
        reorderRate,
        lateRate,
        vpcs,
        epochBase,
        avoidVnis);
  }

  public WorkloadConfig withConcurrency(int newConcurrency) {
    return new WorkloadConfig(
        seed,
        sleds,
        instances,
        migrations,
        failureRate,
        newConcurrency,
        duplicateRate,
        staleRate,
        reuseRate,
        reorderRate,
        lateRate,
        vpcs,
        epochBase,
        avoidVnis);
  }

  /** The same workload placed after what a shared cluster already holds. */
  public WorkloadConfig after(long newEpochBase, Set<Vni> vnisInUse) {
    return new WorkloadConfig(
        seed,
        sleds,
        instances,
        migrations,
        failureRate,
        concurrency,
        duplicateRate,
        staleRate,
        reuseRate,
        reorderRate,
        lateRate,
        vpcs,
        newEpochBase,
        vnisInUse);
  }
}
