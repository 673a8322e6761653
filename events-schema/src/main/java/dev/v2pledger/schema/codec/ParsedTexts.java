package dev.v2pledger.schema.codec;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What texts that many records repeat (the underlay address of a sled: a rack has tens) parse to,
 * so that each is parsed once instead of once per record. Only successful parses are kept, so a
 * text that does not parse is refused by the parser every time, with its own message. Bounded: past
 * {@code max} distinct texts, new ones are parsed each time. Thread-safe.
 *
 * @param <T> what a text parses to: an immutable value
 */
final class ParsedTexts<T> {
  private final int max;
  private final Function<String, T> parser;
  private final ConcurrentHashMap<String, T> parsed = new ConcurrentHashMap<>();

  ParsedTexts(int max, Function<String, T> parser) {
    this.max = max;
    this.parser = parser;
  }

  /** What the parser makes of {@code text}; throws what it throws. */
  T parse(String text) {
    T known = parsed.get(text);
    if (known != null) {
      return known;
    }
    T value = parser.apply(text);
    if (parsed.size() < max) {
      parsed.putIfAbsent(text, value);
    }
    return value;
  }
}
