package dev.v2pledger.schema.domain;

import java.util.UUID;

/**
 * Identifier of a sled (a server of the rack). Compared as a UUID, printed as lowercase text (see
 * {@link UuidId}).
 */
public final class SledId extends UuidId {
  public SledId(UUID value) {
    super(value, "sled id");
  }

  /** Parses UUID text in either case; throws {@link IllegalArgumentException} saying why not. */
  public static SledId parse(String text) {
    return new SledId(Uuids.parse(text, "sled id"));
  }
}
