package dev.v2pledger.schema.jsonl;

import dev.v2pledger.schema.domain.Values;
import org.jspecify.annotations.Nullable;

/**
 * A line of a JSON-lines file is not a valid event; the message names the line and field. The
 * message is one printable line whatever the input held (control characters and line separators in
 * a field name or a parser's message become {@code ?}, and it is cut at {@value #MAX_PROBLEM}
 * characters).
 */
public final class JsonlException extends IllegalArgumentException {
  /** Longest problem description; longer ones (a parser quoting the input) are cut. */
  public static final int MAX_PROBLEM = 300;

  private final long line;
  private final @Nullable String field;

  public JsonlException(long line, @Nullable String field, String problem) {
    super(
        "line "
            + line
            + ": "
            + (field == null ? "" : "field '" + Values.abbreviate(field) + "': ")
            + Values.printable(problem, MAX_PROBLEM));
    this.line = line;
    this.field = field;
  }

  /** Line {@code line} is not UTF-8: what every reader of JSON lines says of it. */
  public static JsonlException notUtf8(long line) {
    return new JsonlException(line, null, "not UTF-8 text");
  }

  public long line() {
    return line;
  }

  public @Nullable String field() {
    return field;
  }
}
