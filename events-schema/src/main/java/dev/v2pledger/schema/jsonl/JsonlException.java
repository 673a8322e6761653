package dev.v2pledger.schema.jsonl;

import org.jspecify.annotations.Nullable;

/** A line of a JSON-lines file is not a valid event; the message names the line and field. */
public final class JsonlException extends IllegalArgumentException {
  private final long line;
  private final @Nullable String field;

  public JsonlException(long line, @Nullable String field, String problem) {
    super("line " + line + ": " + (field == null ? "" : "field '" + field + "': ") + problem);
    this.line = line;
    this.field = field;
  }

  public long line() {
    return line;
  }

  public @Nullable String field() {
    return field;
  }
}
