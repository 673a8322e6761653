package dev.v2pledger.applier.xde.postcard;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads postcard-encoded values from a byte range, refusing anything that runs past its end, an
 * overlong or overflowing varint, and a length that the remaining bytes cannot hold. Not
 * thread-safe.
 */
public final class PostcardReader {
  private final byte[] bytes;
  private final int limit;
  private int position;

  public PostcardReader(byte[] bytes) {
    this(bytes, bytes.length);
  }

  /** Reads {@code bytes[0..length)}. */
  public PostcardReader(byte[] bytes, int length) {
    if (length < 0 || length > bytes.length) {
      throw new IllegalArgumentException(
          "length " + length + " outside the " + bytes.length + "-byte buffer");
    }
    this.bytes = bytes;
    this.limit = length;
  }

  public int position() {
    return position;
  }

  public int remaining() {
    return limit - position;
  }

  /** A u64/usize varint (at most 10 bytes; the 10th may only hold the top bit). */
  public long varintU64(String field) {
    int start = position;
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = next(field);
      if (shift == 63 && (b & 0xFE) != 0) {
        throw new PostcardException(start, field + ": varint overflows 64 bits");
      }
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new PostcardException(start, field + ": varint longer than 10 bytes");
  }

  /** A u32 varint (at most 5 bytes, no bits beyond 32). */
  public int varintU32(String field) {
    int start = position;
    long value = varintU64(field);
    if (value >>> 32 != 0 || position - start > 5) {
      throw new PostcardException(start, field + ": varint does not fit 32 bits");
    }
    return (int) value;
  }

  /** An i32 zigzag varint. */
  public int zigzagI32(String field) {
    int raw = varintU32(field);
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** An enum variant index; refuses one at or above {@code count}. */
  public int variant(String type, int count) {
    int start = position;
    int index = varintU32(type + " variant");
    if (index < 0 || index >= count) {
      throw new PostcardException(
          start, type + ": unknown variant " + Integer.toUnsignedString(index));
    }
    return index;
  }

  public int u8(String field) {
    return next(field);
  }

  /**
   * An {@code Option}'s tag: whether a value follows. Only {@code 00} (None) and {@code 01} (Some)
   * are valid, as in postcard's own deserializer.
   */
  public boolean option(String field) {
    int start = position;
    int tag = next(field);
    if (tag > 1) {
      throw new PostcardException(
          start, field + ": Option tag " + tag + " is neither 0 (None) nor 1 (Some)");
    }
    return tag == 1;
  }

  /** A fixed-size array {@code [u8; n]}. */
  public byte[] fixed(int n, String field) {
    if (remaining() < n) {
      throw truncated(field, n);
    }
    byte[] out = Arrays.copyOfRange(bytes, position, position + n);
    position += n;
    return out;
  }

  /**
   * A sequence length, checked against what remains: each element takes at least {@code
   * minElementBytes} bytes, so a length the input cannot hold is refused before any allocation.
   */
  public int length(String field, int minElementBytes) {
    int start = position;
    long count = varintU64(field + " length");
    long room = remaining() / Math.max(1, minElementBytes);
    if (Long.compareUnsigned(count, room) > 0) {
      throw new PostcardException(
          start,
          field
              + ": length "
              + Long.toUnsignedString(count)
              + " but only "
              + remaining()
              + " bytes remain");
    }
    return (int) count;
  }

  /** A UTF-8 string (malformed sequences are replaced, not refused). */
  public String string(String field) {
    int n = length(field, 1);
    String text = new String(bytes, position, n, StandardCharsets.UTF_8);
    position += n;
    return text;
  }

  /** Refuses bytes left over after a complete value. */
  public void expectEnd(String type) {
    if (position != limit) {
      throw new PostcardException(
          position, type + ": " + remaining() + " unexpected bytes after the value");
    }
  }

  private int next(String field) {
    if (position >= limit) {
      throw truncated(field, 1);
    }
    return bytes[position++] & 0xFF;
  }

  private PostcardException truncated(String field, int wanted) {
    return new PostcardException(
        position,
        field + ": input ends, needs " + wanted + " more byte(s), " + remaining() + " left");
  }
}
