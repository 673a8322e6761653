package dev.v2pledger.schema.codec;

/** A value of a named field breaks a rule; the message names the field. */
public final class InvalidFieldException extends IllegalArgumentException {
  private final String field;

  public InvalidFieldException(String field, String problem) {
    super("field '" + field + "': " + problem);
    this.field = field;
  }

  public String field() {
    return field;
  }
}
