package dev.v2pledger.schema.domain;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A fact about one instance, as its publisher knew it: the envelope of every record of {@code
 * v2p.events}, whose Kafka key is {@link #instanceId}.
 *
 * @param eventId chosen by the publisher; optional
 * @param occurredAt the publisher's clock when it observed the fact; optional, never used to order
 * @param source who published it, for humans; optional
 */
public record InstanceEvent(
    @Nullable EventId eventId,
    InstanceId instanceId,
    @Nullable Instant occurredAt,
    @Nullable String source,
    EventPayload payload) {

  /** Longest accepted {@link #source}; it is a label, not a document. */
  public static final int MAX_SOURCE_LENGTH = 256;

  public InstanceEvent {
    Values.required(instanceId, "instance_id");
    Values.required(payload, "payload");
    if (source != null && source.length() > MAX_SOURCE_LENGTH) {
      throw new IllegalArgumentException(
          "source is longer than " + MAX_SOURCE_LENGTH + " characters");
    }
  }

  /** An event with no id, time or source: what tests and fixtures usually need. */
  public static InstanceEvent of(InstanceId instanceId, EventPayload payload) {
    return new InstanceEvent(null, instanceId, null, null, payload);
  }

  public EventType type() {
    return payload.type();
  }

  /** The Kafka key of {@code v2p.events}. */
  public String key() {
    return instanceId.toString();
  }
}
