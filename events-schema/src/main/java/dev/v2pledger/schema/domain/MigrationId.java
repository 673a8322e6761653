package dev.v2pledger.schema.domain;

import java.util.UUID;

/** Identifier of a live migration; compared as a UUID, printed as lowercase text. */
public record MigrationId(UUID value) {
  public MigrationId {
    Values.required(value, "migration id");
  }

  /** Parses UUID text in either case; throws {@link IllegalArgumentException} saying why not. */
  public static MigrationId parse(String text) {
    return new MigrationId(Uuids.parse(text, "migration id"));
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
