package dev.v2pledger.schema.domain;

import org.jspecify.annotations.Nullable;

/**
 * One projected mapping, as the fold emits it: for the allocation {@code key}, either {@code SET}
 * to {@code target} or {@code CLEARED}, at version {@code (key.ipEpoch, locationGen)}.
 *
 * @param target where the VIP lives; present exactly when the state is {@code SET}
 * @param instanceId the instance owning the allocation
 * @param nicId the NIC owning the allocation
 * @param locationGen the owning instance's location generation when this was emitted
 */
public record V2PMapping(
    MappingKey key,
    MappingState state,
    @Nullable V2PTarget target,
    InstanceId instanceId,
    NicId nicId,
    long locationGen) {

  public V2PMapping {
    Values.required(key, "mapping key");
    Values.required(state, "mapping state");
    Values.required(instanceId, "instance id");
    Values.required(nicId, "NIC id");
    Values.nonNegative(locationGen, "location_gen");
    if ((state == MappingState.SET) != (target != null)) {
      throw new IllegalArgumentException(
          "mapping " + key + ": a SET mapping has a target and a CLEARED one has none");
    }
  }

  public static V2PMapping set(
      MappingKey key, V2PTarget target, InstanceId instance, NicId nic, long locationGen) {
    return new V2PMapping(key, MappingState.SET, target, instance, nic, locationGen);
  }

  public static V2PMapping cleared(
      MappingKey key, InstanceId instance, NicId nic, long locationGen) {
    return new V2PMapping(key, MappingState.CLEARED, null, instance, nic, locationGen);
  }

  public Version version() {
    return new Version(key.ipEpoch(), locationGen);
  }

  public boolean isSet() {
    return state == MappingState.SET;
  }

  /** Equal in everything but the version: what the three-way rule compares at equal versions. */
  public boolean sameContent(V2PMapping other) {
    return key.equals(other.key)
        && state == other.state
        && java.util.Objects.equals(target, other.target)
        && instanceId.equals(other.instanceId)
        && nicId.equals(other.nicId);
  }

  @Override
  public String toString() {
    return key
        + " "
        + state
        + (target == null ? "" : " -> " + target.sledId() + " (" + target.underlayIp() + ")")
        + " v"
        + version();
  }
}
