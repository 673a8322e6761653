package dev.v2pledger.schema.jsonl;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * RFC 3339 times. The form every export writes ({@code 2026-11-23T20:15:00.123456Z}) is parsed by
 * hand, several times faster than {@link java.time.format.DateTimeFormatter}; anything else (an
 * offset such as {@code +01:00}) goes through {@link OffsetDateTime#parse}.
 */
final class Rfc3339 {
  private Rfc3339() {}

  static Instant parse(String text) {
    Instant fast = parseUtc(text);
    return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
  }

  /**
   * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, or null for another shape (an offset). A text of this
   * shape that is not a valid time is refused here, never handed to the more lenient java.time
   * parser (which accepts an empty fraction such as {@code 20:15:00.Z}).
   */
  private static Instant parseUtc(String text) {
    int n = text.length();
    if (n < 20
        || text.charAt(n - 1) != 'Z'
        || text.charAt(4) != '-'
        || text.charAt(7) != '-'
        || text.charAt(10) != 'T'
        || text.charAt(13) != ':'
        || text.charAt(16) != ':') {
      return null;
    }
    int year = digits(text, 0, 4);
    int month = digits(text, 5, 7);
    int day = digits(text, 8, 10);
    int hour = digits(text, 11, 13);
    int minute = digits(text, 14, 16);
    int second = digits(text, 17, 19);
    int nanos = 0;
    if (n > 20) {
      int fraction = n - 21;
      if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
        throw new DateTimeParseException("a fraction of a second has 1 to 9 digits", text, 19);
      }
      nanos = digits(text, 20, n - 1);
      for (int i = fraction; i < 9; i++) {
        nanos *= 10;
      }
    }
    if ((year | month | day | hour | minute | second | nanos) < 0
        || hour > 23
        || minute > 59
        || second > 59) {
      return null;
    }
    try {
      long days = LocalDate.of(year, month, day).toEpochDay();
      return Instant.ofEpochSecond(days * 86_400 + hour * 3600L + minute * 60L + second, nanos);
    } catch (DateTimeException e) {
      throw new DateTimeParseException("invalid date", text, 0);
    }
  }

  /** The decimal number in {@code text[from, to)}, or -1 if a character is not an ASCII digit. */
  private static int digits(String text, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
