package dev.v2pledger.schema.domain;

import java.util.UUID;

/** Identifier of an instance; compared as a UUID, printed as lowercase text. */
public record InstanceId(UUID value) {
  public InstanceId {
    Values.required(value, "instance id");
  }

  /** Parses UUID text in either case; throws {@link IllegalArgumentException} saying why not. */
  public static InstanceId parse(String text) {
    return new InstanceId(Uuids.parse(text, "instance id"));
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
