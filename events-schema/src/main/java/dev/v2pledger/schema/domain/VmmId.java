package dev.v2pledger.schema.domain;

import java.util.UUID;

/**
 * Identifier of a VMM (one incarnation of an instance on a sled); compared as a UUID, printed as
 * lowercase text.
 */
public record VmmId(UUID value) {
  public VmmId {
    Values.required(value, "VMM id");
  }

  /** Parses UUID text in either case; throws {@link IllegalArgumentException} saying why not. */
  public static VmmId parse(String text) {
    return new VmmId(Uuids.parse(text, "VMM id"));
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
