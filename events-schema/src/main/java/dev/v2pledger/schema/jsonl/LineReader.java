package dev.v2pledger.schema.jsonl;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Lines of a text by JSON Lines' rule ({@link #isLineBreakAt}): a line ends at {@code \n}, and a
 * {@code \r} right before it (or before the end of the text) is not part of it; a lone {@code \r}
 * is (unlike {@link java.io.BufferedReader#readLine()}), so a line's number is the count of {@code
 * \n} before it plus one, as the replay tool's byte-level scan counts it. A line longer than its
 * limit is not held in memory: its first {@code limit + 1} characters are returned, which tells the
 * caller it is too long, and the rest is skipped. A file without line breaks thus costs the limit,
 * not the file's size. Not thread-safe.
 */
public abstract sealed class LineReader implements Closeable
    permits LineReader.Chars, LineReader.Utf8 {
  private static final int BUFFER = 1 << 16;

  private final Closeable source;
  final int limit;
  int position;
  int end;

  LineReader(Closeable source, int limit) {
    this.source = source;
    this.limit = limit;
  }

  /** The lines of already decoded text. */
  public static LineReader of(Reader in, int limit) {
    return new Chars(in, limit);
  }

  /**
   * The lines of UTF-8 bytes, each decoded strictly: a line that is not UTF-8 throws a {@link
   * CharacterCodingException} when it is read, after every line before it was returned.
   */
  public static LineReader utf8(InputStream in, int limit) {
    return new Utf8(in, limit);
  }

  /**
   * The next line without its line break, or null at the end of the text.
   *
   * @throws CharacterCodingException for a line of {@link #utf8} bytes that are not UTF-8
   */
  public abstract @Nullable String readLine() throws IOException;

  /**
   * Where the text of a line ending at {@code lineBreak} (its {@code \n}, or the end of the text)
   * ends: before a {@code \r} right before it. The one rule for what a line is, for readers that
   * scan bytes themselves.
   */
  public static int contentEnd(byte[] bytes, int lineStart, int lineBreak) {
    return lineBreak > lineStart && bytes[lineBreak - 1] == '\r' ? lineBreak - 1 : lineBreak;
  }

  /** Whether {@code b} ends a line: only {@code \n} does. */
  public static boolean isLineBreakAt(byte b) {
    return b == '\n';
  }

  /** Reads into the buffer from its start; how many units were read, or -1 at the end. */
  abstract int read() throws IOException;

  /** Refills the buffer; whether anything was read. */
  final boolean fill() throws IOException {
    int n = read();
    position = 0;
    end = Math.max(0, n);
    return n > 0;
  }

  @Override
  public void close() throws IOException {
    source.close();
  }

  /** Decoded text. */
  static final class Chars extends LineReader {
    private final Reader in;
    private final char[] buffer = new char[BUFFER];

    Chars(Reader in, int limit) {
      super(in, limit);
      this.in = in;
    }

    @Override
    public @Nullable String readLine() throws IOException {
      StringBuilder line = null;
      boolean cut = false;
      while (true) {
        if (position == end && !fill()) {
          return line == null ? null : text(line, cut);
        }
        int start = position;
        while (position < end && buffer[position] != '\n') {
          position++;
        }
        line = line != null ? line : new StringBuilder(Math.min(position - start, limit + 1));
        int n = Math.max(0, Math.min(limit + 1 - line.length(), position - start));
        cut |= n < position - start;
        line.append(buffer, start, n);
        if (position < end) {
          position++;
          return text(line, cut);
        }
      }
    }

    /** The line without a {@code \r} that ends it (a cut line keeps it: it is too long anyway). */
    private static String text(StringBuilder line, boolean cut) {
      int n = line.length();
      return !cut && n > 0 && line.charAt(n - 1) == '\r'
          ? line.substring(0, n - 1)
          : line.toString();
    }

    @Override
    int read() throws IOException {
      return in.read(buffer, 0, buffer.length);
    }
  }

  /**
   * UTF-8 bytes, split at line-break bytes (which never occur inside a multi-byte sequence) and
   * decoded line by line. A char takes at most 3 bytes, so more than {@code 3 * (limit + 1)} bytes
   * are more than {@code limit} chars: only that many bytes of a line are kept.
   */
  static final class Utf8 extends LineReader {
    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER];
    private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder();
    private final CharsetDecoder lenient =
        StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE);
    private byte[] line = new byte[256];
    private int length;
    private boolean cut;

    Utf8(InputStream in, int limit) {
      super(in, limit);
      this.in = in;
    }

    @Override
    public @Nullable String readLine() throws IOException {
      length = 0;
      cut = false;
      boolean any = false;
      while (true) {
        if (position == end && !fill()) {
          return any ? decode() : null;
        }
        any = true;
        int start = position;
        while (position < end && !isLineBreakAt(buffer[position])) {
          position++;
        }
        keep(start, position);
        if (position < end) {
          position++;
          return decode();
        }
      }
    }

    private void keep(int from, int to) {
      long room = 3L * (limit + 1) - length;
      int n = (int) Math.min(room, to - from);
      cut |= n < to - from;
      if (length + n > line.length) {
        line = Arrays.copyOf(line, Math.max(length + n, line.length * 2));
      }
      System.arraycopy(buffer, from, line, length, n);
      length += n;
    }

    /** A cut line is refused for its length whatever it holds: decoded leniently. */
    private String decode() throws CharacterCodingException {
      int text = cut ? length : contentEnd(line, 0, length);
      return (cut ? lenient : strict).decode(ByteBuffer.wrap(line, 0, text)).toString();
    }

    @Override
    int read() throws IOException {
      return in.read(buffer, 0, buffer.length);
    }
  }
}
