package dev.v2pledger.schema.domain;

import java.util.UUID;

/**
 * Identifier of a VMM (one incarnation of an instance on a sled). Compared as a UUID, printed as
 * lowercase text (see {@link UuidId}).
 */
public final class VmmId extends UuidId {
  public VmmId(UUID value) {
    super(value, "VMM id");
  }

  /** Parses UUID text in either case; throws {@link IllegalArgumentException} saying why not. */
  public static VmmId parse(String text) {
    return new VmmId(Uuids.parse(text, "VMM id"));
  }
}
