package dev.v2pledger.hardening.fuzz;

/** What a one-line message may hold. */
public final class Text {
  private Text() {}

  /**
   * No control character (C0, DEL, C1: line breaks, terminal escapes, NEL) and no Unicode line or
   * paragraph separator: the text shows as one line wherever it is printed.
   */
  public static boolean isOneLine(String text) {
    return text.chars()
        .noneMatch(
            c ->
                Character.isISOControl(c)
                    || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR);
  }

  /** For failure reports: printable, at most 300 characters. */
  static String abbreviated(String text) {
    String cut = text.length() > 300 ? text.substring(0, 300) + "..." : text;
    StringBuilder out = new StringBuilder();
    cut.codePoints()
        .forEach(
            c ->
                out.append(
                    Character.isISOControl(c) ? "\\u%04x".formatted(c) : Character.toString(c)));
    return out.toString();
  }
}
