package dev.v2pledger.schema.domain;

/** Small helpers for validation messages. */
public final class Values {
  private static final int MAX_QUOTED = 64;

  private Values() {}

  /** Shortens a bad input for an error message, so a megabyte of garbage stays one line. */
  public static String abbreviate(String text) {
    String oneLine = text.replaceAll("\\p{Cntrl}", "?");
    return oneLine.length() <= MAX_QUOTED ? oneLine : oneLine.substring(0, MAX_QUOTED) + "...";
  }

  /** The value of an ASCII hex digit, or -1 (unlike {@link Character#digit}, no other scripts). */
  static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
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
}
