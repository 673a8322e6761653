package dev.v2pledger.devstack.workload;

import dev.v2pledger.schema.domain.Vni;
import java.util.Set;

/**
 * What the generator does.
 *
 * @param seed names the whole workload: the same seed (and base) gives the same steps
 * @param sleds sleds in the rack
 * @param shape how many instances and migrations, how many at once, how the publishers race
 * @param duplicateRate the chance that an event is published twice (at once or later)
 * @param staleRate the chance that an operation ends with a stale report re-sent
 * @param reuseRate the chance that a new NIC takes an IP another instance released
 * @param vpcs VPCs (VNIs) the instances live in
 * @param epochBase {@code ip_epoch} values start above this (the highest epoch a shared cluster
 *     already holds), and ids are drawn from the seed mixed with it, so a rerun on the same cluster
 *     does not collide with an earlier one
 * @param avoidVnis VNIs the workload must not use (already in use on a shared cluster)
 */
public record WorkloadConfig(
    long seed,
    int sleds,
    WorkloadShape shape,
    double duplicateRate,
    double staleRate,
    double reuseRate,
    int vpcs,
    long epochBase,
    Set<Vni> avoidVnis) {

  public WorkloadConfig {
    if (sleds < 1) {
      throw new IllegalArgumentException("at least one sled, got " + sleds);
    }
    if (shape.migrations() > 0 && sleds < 2) {
      throw new IllegalArgumentException("migrations need at least two sleds");
    }
    WorkloadShape.rate(duplicateRate, "duplicate rate");
    WorkloadShape.rate(staleRate, "stale rate");
    WorkloadShape.rate(reuseRate, "reuse rate");
    if (vpcs < 1) {
      throw new IllegalArgumentException("at least one VPC, got " + vpcs);
    }
    if (epochBase < 0) {
      throw new IllegalArgumentException("negative epoch base " + epochBase);
    }
    avoidVnis = Set.copyOf(avoidVnis);
  }

  /** {@code shape} on {@code sleds} sleds, with {@code devstack run}'s defaults for the rest. */
  public static WorkloadConfig of(long seed, int sleds, WorkloadShape shape) {
    return new WorkloadConfig(seed, sleds, shape, 0.1, 0.2, 0.5, 4, 0, Set.of());
  }

  /** The same workload placed after what a shared cluster already holds. */
  public WorkloadConfig after(long newEpochBase, Set<Vni> vnisInUse) {
    return new WorkloadConfig(
        seed, sleds, shape, duplicateRate, staleRate, reuseRate, vpcs, newEpochBase, vnisInUse);
  }
}
