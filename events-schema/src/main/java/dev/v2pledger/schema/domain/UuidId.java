package dev.v2pledger.schema.domain;

import java.util.UUID;

/**
 * What the identifier types share: a non-null UUID, compared by type and value, printed as
 * lowercase text. Each subtype only names itself for messages and parses its text through {@link
 * Uuids#parse}.
 */
public abstract sealed class UuidId permits EventId, InstanceId, MigrationId, NicId, SledId, VmmId {
  private final UUID value;

  UuidId(UUID value, String what) {
    this.value = Values.required(value, what);
  }

  /** The identifier's UUID. */
  public final UUID value() {
    return value;
  }

  @Override
  public final String toString() {
    return value.toString();
  }

  @Override
  public final boolean equals(Object other) {
    return other != null && other.getClass() == getClass() && ((UuidId) other).value.equals(value);
  }

  @Override
  public final int hashCode() {
    return value.hashCode();
  }
}
