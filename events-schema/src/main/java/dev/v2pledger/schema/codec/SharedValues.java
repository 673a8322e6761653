package dev.v2pledger.schema.codec;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps one object per distinct value that many decoded records repeat (VNIs, sled ids, underlay
 * addresses: a rack has few of each), so that what holds those records keeps one copy of each
 * instead of one per record; values are compared by {@code equals}. Bounded: past {@code max}
 * distinct values, new ones are kept as they are. Thread-safe.
 */
public final class SharedValues {
  /** The bound the projector and the appliers use (a rack has tens of sleds; VNIs are per VPC). */
  public static final int DEFAULT_MAX = 1 << 16;

  private final int max;
  private final ConcurrentHashMap<Object, Object> values = new ConcurrentHashMap<>();

  public SharedValues() {
    this(DEFAULT_MAX);
  }

  public SharedValues(int max) {
    this.max = max;
  }

  /** The object kept for values equal to {@code value}: the first one seen, or {@code value}. */
  @SuppressWarnings("unchecked")
  public <T> T of(T value) {
    Object known = values.get(value);
    if (known != null) {
      return (T) known;
    }
    if (values.size() >= max) {
      return value;
    }
    Object raced = values.putIfAbsent(value, value);
    return raced == null ? value : (T) raced;
  }
}
