package dev.v2pledger.schema.domain;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One projected mapping, as the fold emits it: for the allocation {@code key}, either {@code SET}
 * to {@code target} or {@code CLEARED}, at version {@code (key.ipEpoch, locationGen)}. A value:
 * equal to another with the same key, state, target, ids and generation.
 *
 * <p>Not a record, for memory: a sled's applier holds one per VIP of its VPCs, millions of them, so
 * the key's parts and the two ids are kept as fields of this object (the ids as their UUIDs' two
 * halves) instead of objects of their own, and the state is whether there is a target: 72 bytes a
 * mapping instead of 128 (BENCHMARKS.md "Heap per mapping"). {@link #key()}, {@link #instanceId()}
 * and {@link #nicId()} build their values when asked.
 */
public final class V2PMapping {
  private final Vip vip;
  private final @Nullable V2PTarget target;
  private final long ipEpoch;
  private final long locationGen;
  private final long instanceHigh;
  private final long instanceLow;
  private final long nicHigh;
  private final long nicLow;

  /**
   * @param target where the VIP lives; present exactly when the state is {@code SET}
   * @param instanceId the instance owning the allocation
   * @param nicId the NIC owning the allocation
   * @param locationGen the owning instance's location generation when this was emitted
   */
  public V2PMapping(
      MappingKey key,
      MappingState state,
      @Nullable V2PTarget target,
      InstanceId instanceId,
      NicId nicId,
      long locationGen) {
    Values.required(key, "mapping key");
    Values.required(state, "mapping state");
    Values.required(instanceId, "instance id");
    Values.required(nicId, "NIC id");
    Values.nonNegative(locationGen, "location_gen");
    if ((state == MappingState.SET) != (target != null)) {
      throw new IllegalArgumentException(
          "mapping " + key + ": a SET mapping has a target and a CLEARED one has none");
    }
    this.vip = key.vip();
    this.ipEpoch = key.ipEpoch();
    this.target = target;
    this.instanceHigh = instanceId.high();
    this.instanceLow = instanceId.low();
    this.nicHigh = nicId.high();
    this.nicLow = nicId.low();
    this.locationGen = locationGen;
  }

  public static V2PMapping set(
      MappingKey key, V2PTarget target, InstanceId instance, NicId nic, long locationGen) {
    return new V2PMapping(key, MappingState.SET, target, instance, nic, locationGen);
  }

  public static V2PMapping cleared(
      MappingKey key, InstanceId instance, NicId nic, long locationGen) {
    return new V2PMapping(key, MappingState.CLEARED, null, instance, nic, locationGen);
  }

  /** The allocation: {@code (vni, ip, ip_epoch)}. */
  public MappingKey key() {
    return new MappingKey(vip, ipEpoch);
  }

  /** The key's (VNI, IP), without building the key. */
  public Vip vip() {
    return vip;
  }

  /** The key's {@code ip_epoch}, without building the key. */
  public long ipEpoch() {
    return ipEpoch;
  }

  public MappingState state() {
    return target != null ? MappingState.SET : MappingState.CLEARED;
  }

  /** Where the VIP lives; present exactly when the state is {@code SET}. */
  public @Nullable V2PTarget target() {
    return target;
  }

  public InstanceId instanceId() {
    return new InstanceId(instanceHigh, instanceLow);
  }

  public NicId nicId() {
    return new NicId(nicHigh, nicLow);
  }

  public long locationGen() {
    return locationGen;
  }

  public Version version() {
    return new Version(ipEpoch, locationGen);
  }

  public boolean isSet() {
    return target != null;
  }

  /** Equal in everything but the version: what the three-way rule compares at equal versions. */
  public boolean sameContent(V2PMapping other) {
    return vip.equals(other.vip)
        && ipEpoch == other.ipEpoch
        && Objects.equals(target, other.target)
        && instanceHigh == other.instanceHigh
        && instanceLow == other.instanceLow
        && nicHigh == other.nicHigh
        && nicLow == other.nicLow;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof V2PMapping that && locationGen == that.locationGen && sameContent(that);
  }

  @Override
  public int hashCode() {
    return Objects.hash(vip, ipEpoch, target, instanceHigh, instanceLow, locationGen);
  }

  @Override
  public String toString() {
    return vip
        + "/"
        + ipEpoch
        + " "
        + state()
        + (target == null ? "" : " -> " + target.sledId() + " (" + target.underlayIp() + ")")
        + " v"
        + version();
  }
}
