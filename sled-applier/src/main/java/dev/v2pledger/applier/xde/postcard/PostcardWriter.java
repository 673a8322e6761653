package dev.v2pledger.applier.xde.postcard;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Appends postcard-encoded values to a growing byte array. Not thread-safe. */
public final class PostcardWriter {
  private byte[] buffer;
  private int length;

  public PostcardWriter() {
    this(64);
  }

  public PostcardWriter(int initialCapacity) {
    buffer = new byte[Math.max(16, initialCapacity)];
  }

  /** An unsigned integer (u16, u32, u64, usize) as a LEB128 varint. */
  public PostcardWriter varint(long unsigned) {
    ensure(10);
    long value = unsigned;
    while ((value & ~0x7FL) != 0) {
      buffer[length++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buffer[length++] = (byte) value;
    return this;
  }

  /** A signed integer (i16, i32, i64) as a zigzag varint. */
  public PostcardWriter zigzag(long signed) {
    return varint((signed << 1) ^ (signed >> 63));
  }

  /** An enum's variant index. */
  public PostcardWriter variant(int index) {
    return varint(index);
  }

  /** An {@code Option}'s tag: {@code 01} if a value follows (then write it), else {@code 00}. */
  public PostcardWriter option(boolean present) {
    return u8(present ? 1 : 0);
  }

  /** A single byte (u8 is not a varint). */
  public PostcardWriter u8(int value) {
    ensure(1);
    buffer[length++] = (byte) value;
    return this;
  }

  /** A fixed-size array {@code [u8; N]}: the bytes, no length. */
  public PostcardWriter fixed(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, length, bytes.length);
    length += bytes.length;
    return this;
  }

  /** A sequence's length (then write the elements). */
  public PostcardWriter length(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("negative length " + count);
    }
    return varint(count);
  }

  /** A string: varint byte length, then UTF-8. */
  public PostcardWriter string(String text) {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    return length(utf8.length).fixed(utf8);
  }

  public int size() {
    return length;
  }

  /** A copy of what was written. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buffer, length);
  }

  private void ensure(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
    }
  }
}
