package dev.v2pledger.schema.domain;

import java.util.UUID;

/**
 * Identifier of a network interface. Compared as a UUID, printed as lowercase text (see {@link
 * UuidId}).
 */
public final class NicId extends UuidId {
  public NicId(UUID value) {
    super(value, "NIC id");
  }

  NicId(long high, long low) {
    super(high, low);
  }

  /** Parses UUID text in either case; throws {@link IllegalArgumentException} saying why not. */
  public static NicId parse(String text) {
    return new NicId(Uuids.parse(text, "NIC id"));
  }
}
