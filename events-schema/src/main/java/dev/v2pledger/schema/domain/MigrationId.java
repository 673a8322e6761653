package dev.v2pledger.schema.domain;

import java.util.UUID;

/**
 * Identifier of a live migration. Compared as a UUID, printed as lowercase text (see {@link
 * UuidId}).
 */
public final class MigrationId extends UuidId {
  public MigrationId(UUID value) {
    super(value, "migration id");
  }

  /** Parses UUID text in either case; throws {@link IllegalArgumentException} saying why not. */
  public static MigrationId parse(String text) {
    return new MigrationId(Uuids.parse(text, "migration id"));
  }
}
