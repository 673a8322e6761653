package dev.v2pledger.schema.domain;

import java.util.UUID;

/** Identifier of a network interface; compared as a UUID, printed as lowercase text. */
public record NicId(UUID value) {
  public NicId {
    Values.required(value, "NIC id");
  }

  /** Parses UUID text in either case; throws {@link IllegalArgumentException} saying why not. */
  public static NicId parse(String text) {
    return new NicId(Uuids.parse(text, "NIC id"));
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
