package dev.v2pledger.schema.domain;

import java.util.UUID;

/**
 * Identifier of an event, chosen by its publisher. Compared as a UUID, printed as lowercase text
 * (see {@link UuidId}).
 */
public final class EventId extends UuidId {
  public EventId(UUID value) {
    super(value, "event id");
  }

  /** Parses UUID text in either case; throws {@link IllegalArgumentException} saying why not. */
  public static EventId parse(String text) {
    return new EventId(Uuids.parse(text, "event id"));
  }
}
