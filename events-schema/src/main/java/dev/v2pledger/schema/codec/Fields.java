package dev.v2pledger.schema.codec;

import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Parses one field's text into a domain value, naming the field when the value is bad. Shared by
 * the Avro mapping and the JSON-lines reader, so both say the same thing about the same mistake.
 */
public final class Fields {
  private Fields() {}

  public static <T> T parse(String field, @Nullable String text, Function<String, T> parser) {
    if (text == null) {
      throw new InvalidFieldException(field, "is missing");
    }
    try {
      return parser.apply(text);
    } catch (InvalidFieldException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException(field, e.getMessage());
    }
  }

  /** {@code value}, or an exception naming {@code field} if it is negative. */
  public static long nonNegative(String field, long value) {
    if (value < 0) {
      throw new InvalidFieldException(field, "must not be negative, got " + value);
    }
    return value;
  }

  /** Builds a value from already-parsed parts, naming {@code field} if the constructor refuses. */
  public static <T> T build(String field, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (InvalidFieldException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException(field, e.getMessage());
    }
  }
}
