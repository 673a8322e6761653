package dev.v2pledger.schema.domain;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/** Small helpers for validation messages. */
public final class Values {
  private static final int MAX_QUOTED = 64;

  /** By ASCII character: its value as a hex digit, or -1. */
  private static final byte[] HEX_DIGITS = hexDigits();

  /**
   * What must not reach a one-line message: C0 and C1 control characters (line breaks, terminal
   * escapes, NEL) and the Unicode line and paragraph separators.
   */
  private static final java.util.regex.Pattern UNPRINTABLE =
      java.util.regex.Pattern.compile("[\\p{Cntrl}\\x{80}-\\x{9F}\\p{Zl}\\p{Zp}]");

  private Values() {}

  /**
   * Shortens a bad input for an error message, so a megabyte of garbage stays one line: control
   * characters and line separators become {@code ?}, and more than 64 characters are cut.
   */
  public static String abbreviate(String text) {
    return printable(text, MAX_QUOTED);
  }

  /**
   * {@code text} made safe for a one-line message or log: control characters and line separators
   * become {@code ?}, and more than {@code maxChars} characters are cut (marked with {@code ...}).
   */
  public static String printable(String text, int maxChars) {
    String cut = text.length() <= maxChars ? text : text.substring(0, maxChars);
    String oneLine = UNPRINTABLE.matcher(cut).replaceAll("?");
    return cut.length() < text.length() ? oneLine + "..." : oneLine;
  }

  /** The value of an ASCII hex digit, or -1 (unlike {@link Character#digit}, no other scripts). */
  static int hexDigit(char c) {
    // a table rather than three ranges: ids are random, so the ranges' branches were mispredicted
    // for about every other digit, and replays and appliers read three ids per record
    return c < HEX_DIGITS.length ? HEX_DIGITS[c] : -1;
  }

  private static byte[] hexDigits() {
    byte[] digits = new byte[128];
    Arrays.fill(digits, (byte) -1);
    for (int c = '0'; c <= '9'; c++) {
      digits[c] = (byte) (c - '0');
    }
    for (int c = 'a'; c <= 'f'; c++) {
      digits[c] = (byte) (c - 'a' + 10);
      digits[c - 'a' + 'A'] = (byte) (c - 'a' + 10);
    }
    return digits;
  }

  static <T> T required(T value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " is missing");
    }
    return value;
  }

  static long nonNegative(long value, String what) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must not be negative, got " + value);
    }
    return value;
  }

  /**
   * {@code at} as a schema's {@code timestamp-millis} holds it: to the millisecond, so a record
   * reads back as it was made; refused when a long of milliseconds since 1970 cannot hold it.
   */
  static Instant millis(Instant at, String what) {
    Instant millis = required(at, what).truncatedTo(ChronoUnit.MILLIS);
    try {
      millis.toEpochMilli();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          what + " " + at + " is out of range: it is held as milliseconds since 1970 in a long");
    }
    return millis;
  }
}
