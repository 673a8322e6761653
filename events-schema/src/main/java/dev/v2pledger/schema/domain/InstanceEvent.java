package dev.v2pledger.schema.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A fact about one instance, as its publisher knew it: the envelope of every record of {@code
 * v2p.events}, whose Kafka key is {@link #instanceId}.
 *
 * @param eventId chosen by the publisher; optional
 * @param occurredAt the publisher's clock when it observed the fact; optional, never used to order
 * @param source who published it, for humans; optional
 * @param instanceGen Nexus' generation of the instance, on Nexus' events only (at least 1);
 *     optional (publishers older than the field do not send it). DESIGN rule 0 fences Nexus' events
 *     by it.
 */
public record InstanceEvent(
    @Nullable EventId eventId,
    InstanceId instanceId,
    @Nullable Instant occurredAt,
    @Nullable String source,
    EventPayload payload,
    @Nullable Long instanceGen) {

  /** Longest accepted {@link #source}; it is a label, not a document. */
  public static final int MAX_SOURCE_LENGTH = 256;

  public InstanceEvent {
    Values.required(instanceId, "instance_id");
    Values.required(payload, "payload");
    if (source != null && source.length() > MAX_SOURCE_LENGTH) {
      throw new IllegalArgumentException(
          "source is longer than " + MAX_SOURCE_LENGTH + " characters");
    }
    if (source != null) {
      checkUnicode(source);
    }
    occurredAt = occurredAt == null ? null : schemaTime(occurredAt);
    checkInstanceGen(instanceGen, payload);
  }

  /**
   * Refuses a lone surrogate: UTF-8, which Avro's strings and a JSON-lines file are, cannot hold
   * one (Avro wrote {@code ?} in its place), so the event would not read back as it was made.
   */
  private static void checkUnicode(String source) {
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < source.length()
          && Character.isLowSurrogate(source.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            "source has a lone surrogate (U+"
                + Integer.toHexString(c).toUpperCase(Locale.ROOT)
                + ") at "
                + i
                + ": not Unicode text, which UTF-8 (Avro, JSON lines) cannot hold");
      }
    }
  }

  /**
   * {@code at} as {@code occurred_at} holds it: to the microsecond (the schema's {@code
   * timestamp-micros}), so an event reads back from Avro as it was made; refused when a long of
   * microseconds since 1970 cannot hold it (the encoder failed with an overflow).
   */
  public static Instant schemaTime(Instant at) {
    Instant micros = at.truncatedTo(ChronoUnit.MICROS);
    long seconds = micros.getEpochSecond();
    long fraction = micros.getNano() / 1000;
    if (seconds < 0 && fraction > 0) { // as Avro's conversion counts, so Long.MIN_VALUE fits
      seconds++;
      fraction -= 1_000_000;
    }
    try {
      Math.addExact(Math.multiplyExact(seconds, 1_000_000L), fraction);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "occurred_at "
              + at
              + " is out of range: it is held as microseconds since 1970 in a long (years"
              + " -290308 to 294247)");
    }
    return micros;
  }

  /** Refuses an {@code instance_gen} below 1 or on a sled agent's report. */
  public static void checkInstanceGen(@Nullable Long instanceGen, EventPayload payload) {
    if (instanceGen == null) {
      return;
    }
    if (instanceGen < 1) {
      throw new IllegalArgumentException("must be at least 1, got " + instanceGen);
    }
    if (!payload.type().publishedByNexus()) {
      throw new IllegalArgumentException(
          "is Nexus' generation; a "
              + payload.type()
              + " (a sled agent's report) does not carry it");
    }
  }

  /** An event without {@code instance_gen}: a report, or a Nexus event of an older publisher. */
  public InstanceEvent(
      @Nullable EventId eventId,
      InstanceId instanceId,
      @Nullable Instant occurredAt,
      @Nullable String source,
      EventPayload payload) {
    this(eventId, instanceId, occurredAt, source, payload, null);
  }

  /** An event with no id, time or source: what tests and fixtures usually need. */
  public static InstanceEvent of(InstanceId instanceId, EventPayload payload) {
    return new InstanceEvent(null, instanceId, null, null, payload);
  }

  /** This event with Nexus' generation {@code gen}. */
  public InstanceEvent withInstanceGen(long gen) {
    return new InstanceEvent(eventId, instanceId, occurredAt, source, payload, gen);
  }

  /** This event stamped with {@code at} as the time it occurred. */
  public InstanceEvent withOccurredAt(@Nullable Instant at) {
    return new InstanceEvent(eventId, instanceId, at, source, payload, instanceGen);
  }

  public EventType type() {
    return payload.type();
  }

  /** The Kafka key of {@code v2p.events}. */
  public String key() {
    return instanceId.toString();
  }
}
