package dev.v2pledger.schema.codec;

import org.apache.avro.SystemLimitException;

/**
 * Caps Avro's allocation limits before the first decode, so that a corrupt length prefix in a
 * poison record fails fast instead of allocating gigabytes. Avro reads these system properties
 * once, when {@link SystemLimitException} is loaded; an operator's own values are kept.
 */
final class AvroLimits {
  static final int MAX_STRING_BYTES = 1 << 20;
  static final int MAX_COLLECTION_ITEMS = 1 << 16;

  private AvroLimits() {}

  static void install() {
    setIfAbsent(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_STRING_BYTES);
    setIfAbsent(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_STRING_BYTES);
    setIfAbsent(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_COLLECTION_ITEMS);
  }

  private static void setIfAbsent(String property, int value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, Integer.toString(value));
    }
  }
}
