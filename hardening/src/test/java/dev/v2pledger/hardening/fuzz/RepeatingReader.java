package dev.v2pledger.hardening.fuzz;

import java.io.Reader;
import java.util.Arrays;

/** One character, {@code length} times, without a line break: a huge line without the memory. */
final class RepeatingReader extends Reader {
  private final char c;
  private long left;

  RepeatingReader(char c, long length) {
    this.c = c;
    this.left = length;
  }

  @Override
  public int read(char[] buffer, int offset, int length) {
    if (left == 0) {
      return -1;
    }
    int n = (int) Math.min(length, left);
    Arrays.fill(buffer, offset, offset + n, c);
    left -= n;
    return n;
  }

  @Override
  public void close() {}
}
