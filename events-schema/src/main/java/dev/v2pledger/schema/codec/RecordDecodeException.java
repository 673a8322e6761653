package dev.v2pledger.schema.codec;

import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.jspecify.annotations.Nullable;

/**
 * A record could not be turned into a domain value. One type for every cause, with a reason a
 * program can switch on and a message a human can act on; the origin says where the record was. The
 * cause (an Avro or parse exception) is kept for debugging but never needed to understand the
 * message.
 */
public final class RecordDecodeException extends SerializationException {

  /** Why decoding failed. */
  public enum Reason {
    /** The writer schema's fingerprint is not in this build's schema history. */
    UNKNOWN_SCHEMA,
    /** The bytes are not a valid Avro single-object record of a known schema. */
    CORRUPT,
    /** The record decoded, but a value breaks a rule (bad UUID, IP, MAC, VNI...). */
    INVALID_VALUE
  }

  private final Reason reason;
  private final RecordOrigin origin;

  public RecordDecodeException(
      Reason reason, RecordOrigin origin, String detail, @Nullable Throwable cause) {
    super(origin + ": " + describe(reason) + ": " + detail, cause);
    this.reason = reason;
    this.origin = origin;
  }

  public RecordDecodeException(Reason reason, RecordOrigin origin, String detail) {
    super(origin + ": " + describe(reason) + ": " + detail);
    this.reason = reason;
    this.origin = origin;
  }

  private static String describe(Reason reason) {
    return switch (reason) {
      case UNKNOWN_SCHEMA -> "unknown schema";
      case CORRUPT -> "corrupt record";
      case INVALID_VALUE -> "invalid value";
    };
  }

  public Reason reason() {
    return reason;
  }

  /**
   * Whether the record may be fine and only its schema's lookup failed for a reason that passes
   * (the schema registry could not be read in time): such a record must be read again later, never
   * refused or dead-lettered for it.
   */
  public boolean isTransient() {
    return getCause() instanceof RetriableException;
  }

  /**
   * Whether the record's schema could not be looked up because the registry refused this reader (no
   * Read ACL, say), not because it is not there: another reader, with the access this one lacks,
   * may decode the record.
   */
  public boolean isRegistryRefusal() {
    return reason == Reason.UNKNOWN_SCHEMA && getCause() != null && !isTransient();
  }

  public RecordOrigin origin() {
    return origin;
  }

  /** The message without the origin prefix, for headers and places that show the origin apart. */
  public String detail() {
    String message = getMessage();
    String prefix = origin + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }
}
