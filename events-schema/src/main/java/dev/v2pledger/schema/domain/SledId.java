package dev.v2pledger.schema.domain;

import java.util.UUID;

/** Identifier of a sled (a server of the rack); compared as a UUID, printed as lowercase text. */
public record SledId(UUID value) {
  public SledId {
    Values.required(value, "sled id");
  }

  /** Parses UUID text in either case; throws {@link IllegalArgumentException} saying why not. */
  public static SledId parse(String text) {
    return new SledId(Uuids.parse(text, "sled id"));
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
