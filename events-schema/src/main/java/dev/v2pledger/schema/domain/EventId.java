package dev.v2pledger.schema.domain;

import java.util.UUID;

/**
 * Identifier of an event, chosen by its publisher; compared as a UUID, printed as lowercase text.
 */
public record EventId(UUID value) {
  public EventId {
    Values.required(value, "event id");
  }

  /** Parses UUID text in either case; throws {@link IllegalArgumentException} saying why not. */
  public static EventId parse(String text) {
    return new EventId(Uuids.parse(text, "event id"));
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
