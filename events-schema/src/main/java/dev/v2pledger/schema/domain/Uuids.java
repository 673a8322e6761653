package dev.v2pledger.schema.domain;

import java.util.UUID;

/** Strict UUID text parsing shared by the identifier records. */
final class Uuids {
  private static final int LENGTH = 36;

  private Uuids() {}

  /**
   * Parses the 8-4-4-4-12 hexadecimal form, in either case. {@link UUID#fromString} alone accepts
   * short forms such as {@code 1-2-3-4-5}, which would make two spellings of one id. Hand-written
   * rather than a regular expression: replays parse several ids per event.
   */
  static UUID parse(String text, String what) {
    if (text == null) {
      throw new IllegalArgumentException(what + " is missing");
    }
    if (text.length() != LENGTH
        || text.charAt(8) != '-'
        || text.charAt(13) != '-'
        || text.charAt(18) != '-'
        || text.charAt(23) != '-') {
      throw notUuid(text, what);
    }
    long high =
        hex(text, 0, 8, what) << 32 | hex(text, 9, 13, what) << 16 | hex(text, 14, 18, what);
    long low = hex(text, 19, 23, what) << 48 | hex(text, 24, 36, what);
    return new UUID(high, low);
  }

  private static long hex(String text, int from, int to, String what) {
    long value = 0;
    for (int i = from; i < to; i++) {
      int digit = Values.hexDigit(text.charAt(i));
      if (digit < 0) {
        throw notUuid(text, what);
      }
      value = value << 4 | digit;
    }
    return value;
  }

  private static IllegalArgumentException notUuid(String text, String what) {
    return new IllegalArgumentException(
        what + " '" + Values.abbreviate(text) + "' is not a UUID (8-4-4-4-12 hex digits)");
  }
}
