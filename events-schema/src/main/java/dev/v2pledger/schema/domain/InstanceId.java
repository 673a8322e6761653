package dev.v2pledger.schema.domain;

import java.util.UUID;

/**
 * Identifier of an instance. Compared as a UUID, printed as lowercase text (see {@link UuidId}).
 */
public final class InstanceId extends UuidId {
  public InstanceId(UUID value) {
    super(value, "instance id");
  }

  InstanceId(long high, long low) {
    super(high, low);
  }

  /** Parses UUID text in either case; throws {@link IllegalArgumentException} saying why not. */
  public static InstanceId parse(String text) {
    return new InstanceId(Uuids.parse(text, "instance id"));
  }
}
