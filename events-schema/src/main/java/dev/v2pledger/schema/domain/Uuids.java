package dev.v2pledger.schema.domain;

import java.util.UUID;
import java.util.regex.Pattern;

/** Strict UUID text parsing shared by the identifier records. */
final class Uuids {
  private static final Pattern CANONICAL =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private Uuids() {}

  /**
   * Parses the 8-4-4-4-12 hexadecimal form, in either case. {@link UUID#fromString} alone accepts
   * short forms such as {@code 1-2-3-4-5}, which would make two spellings of one id.
   */
  static UUID parse(String text, String what) {
    if (text == null) {
      throw new IllegalArgumentException(what + " is missing");
    }
    if (!CANONICAL.matcher(text).matches()) {
      throw new IllegalArgumentException(
          what + " '" + Values.abbreviate(text) + "' is not a UUID (8-4-4-4-12 hex digits)");
    }
    return UUID.fromString(text);
  }
}
