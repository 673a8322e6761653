package dev.v2pledger.schema.jsonl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.v2pledger.schema.codec.InvalidFieldException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One JSON object read with Jackson's streaming parser into a flat list of fields: lighter than a
 * tree (no map per object), and strict (a field named twice is an error, trailing content is an
 * error). Values are {@code String}, {@code Long}, {@code BigInteger} (integers too large for a
 * long), {@code BigDecimal} (numbers with a fraction or an exponent), {@code Boolean}, {@link
 * #NULL}, {@code List<Object>} or a nested {@code FlatJson}.
 */
final class FlatJson {
  static final Object NULL =
      new Object() {
        @Override
        public String toString() {
          return "null";
        }
      };

  private static final JsonFactory FACTORY = new JsonFactory();

  private final List<String> names = new ArrayList<>(12);
  private final List<Object> values = new ArrayList<>(12);

  /** Thrown for text that is not JSON, or JSON that is not one object. */
  static final class NotAnObject extends Exception {
    NotAnObject(String message) {
      super(message);
    }
  }

  /** Parses {@code text}, which must hold exactly one JSON object. */
  static FlatJson parse(String text) throws NotAnObject {
    try (JsonParser parser = FACTORY.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first != JsonToken.START_OBJECT) {
        throw new NotAnObject("not a JSON object");
      }
      FlatJson object = readObject(parser);
      if (parser.nextToken() != null) {
        throw new NotAnObject("not valid JSON: more content after the object");
      }
      return object;
    } catch (JsonParseException e) {
      throw new NotAnObject("not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new NotAnObject("not valid JSON: " + e.getMessage());
    }
  }

  private static FlatJson readObject(JsonParser parser) throws IOException {
    FlatJson object = new FlatJson();
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_OBJECT;
        token = parser.nextToken()) {
      String name = parser.currentName();
      parser.nextToken();
      if (object.names.contains(name)) {
        throw new InvalidFieldException(name, "appears twice");
      }
      object.names.add(name);
      object.values.add(readValue(parser));
    }
    return object;
  }

  private static Object readValue(JsonParser parser) throws IOException {
    switch (parser.currentToken()) {
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? parser.getBigIntegerValue()
            : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT: // exact: 9007199254740993.0 is an integer a double cannot hold
        return parser.getDecimalValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case START_OBJECT:
        return readObject(parser);
      case START_ARRAY:
        List<Object> items = new ArrayList<>(4);
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(readValue(parser));
        }
        return items;
      default:
        return NULL;
    }
  }

  /** The value of {@code name}, or null when absent; JSON {@code null} is {@link #NULL}. */
  @Nullable Object get(String name) {
    int index = names.indexOf(name);
    return index < 0 ? null : values.get(index);
  }

  List<String> names() {
    return names;
  }

  /** How a value looks in an error message: strings quoted, as in the input. */
  static String show(Object value) {
    if (value instanceof String text) {
      return "\"" + dev.v2pledger.schema.domain.Values.abbreviate(text) + "\"";
    }
    if (value instanceof BigDecimal || value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    return value instanceof FlatJson
        ? "{...}"
        : value instanceof List ? "[...]" : String.valueOf(value);
  }
}
