package dev.v2pledger.schema.domain;

import java.util.UUID;

/**
 * What the identifier types share: a non-null UUID, compared by type and value, printed as
 * lowercase text. Each subtype only names itself for messages and parses its text through {@link
 * Uuids#parse}.
 */
public abstract sealed class UuidId permits EventId, InstanceId, MigrationId, NicId, SledId, VmmId {
  // the UUID's two halves rather than the UUID: an applier holds two ids per mapping, and a UUID
  // object of its own would cost 32 bytes more each
  private final long high;
  private final long low;

  UuidId(UUID value, String what) {
    Values.required(value, what);
    this.high = value.getMostSignificantBits();
    this.low = value.getLeastSignificantBits();
  }

  /** From the UUID's two halves (as {@link #high()} and {@link #low()} gave them). */
  UuidId(long high, long low) {
    this.high = high;
    this.low = low;
  }

  /** The UUID's most significant half. */
  final long high() {
    return high;
  }

  /** The UUID's least significant half. */
  final long low() {
    return low;
  }

  /** The identifier's UUID. */
  public final UUID value() {
    return new UUID(high, low);
  }

  @Override
  public final String toString() {
    return value().toString();
  }

  @Override
  public final boolean equals(Object other) {
    return other != null
        && other.getClass() == getClass()
        && ((UuidId) other).high == high
        && ((UuidId) other).low == low;
  }

  /** As {@link UUID#hashCode()}. */
  @Override
  public final int hashCode() {
    long bits = high ^ low;
    return (int) (bits >> 32) ^ (int) bits;
  }
}
