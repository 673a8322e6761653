package dev.v2pledger.replay.source;

import dev.v2pledger.schema.jsonl.LineReader;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Finds the lines of a large file that pass a test on their raw bytes, in parallel, decoding only
 * those: the file is read in segments split at line boundaries, each segment scanned by one thread
 * over a plain byte array, and line numbers recovered from each segment's line count. This is what
 * lets {@code history} skip the millions of lines of other instances at memory speed.
 */
public final class LineScan {
  /** A test on one line's bytes, {@code bytes[from, to)} (without the line end). */
  @FunctionalInterface
  public interface ByteLineTest {
    boolean matches(byte[] bytes, int from, int to);
  }

  /** A matching line: its 1-based number and its text, null when its bytes are not UTF-8. */
  public record Line(long number, @Nullable String text) {}

  /** The UTF-8 text of {@code length} bytes from {@code from}; null when they are not UTF-8. */
  static @Nullable String utf8(byte[] bytes, int from, int length) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .decode(ByteBuffer.wrap(bytes, from, length))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Segments of this size keep two threads' buffers small and the work evenly spread. */
  public static final int DEFAULT_SEGMENT = 16 << 20;

  private static final int MAX_LINE = 2 << 20;

  private LineScan() {}

  /** Tells the hash of a line's instance id, or {@link LineIndex#UNKNOWN}. */
  @FunctionalInterface
  public interface LineHasher {
    int hash(byte[] bytes, int from, int to);
  }

  /** The lines a scan kept, and, when asked for, the index of every line. */
  public record Result(List<Line> lines, LineIndex index) {}

  /** Every line that {@code test} accepts, in file order. */
  public static List<Line> scan(Path file, int threads, ByteLineTest test) throws IOException {
    return scan(file, threads, test, DEFAULT_SEGMENT);
  }

  /** Like {@link #scan(Path, int, ByteLineTest)}, with segments of {@code segmentBytes}. */
  public static List<Line> scan(Path file, int threads, ByteLineTest test, int segmentBytes)
      throws IOException {
    return scan(file, threads, test, null, segmentBytes).lines();
  }

  /**
   * Like {@link #scan(Path, int, ByteLineTest)}, also indexing every line with {@code hasher}
   * (null: no index).
   */
  public static Result scan(
      Path file, int threads, ByteLineTest test, @Nullable LineHasher hasher, int segmentBytes)
      throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
      try {
        List<Future<Segment>> futures = new ArrayList<>();
        for (long start = 0; start < size; start += segmentBytes) {
          long from = start;
          long to = Math.min(size, from + segmentBytes);
          futures.add(pool.submit(() -> scanSegment(channel, size, from, to, test, hasher)));
        }
        List<Line> lines = new ArrayList<>();
        List<LineIndex.Segment> index = new ArrayList<>();
        long before = 0;
        for (Future<Segment> future : futures) {
          Segment segment = future.get();
          for (Line line : segment.matches()) {
            lines.add(new Line(before + line.number(), line.text()));
          }
          if (segment.index() != null) {
            LineIndex.Segment s = segment.index();
            index.add(
                new LineIndex.Segment(
                    s.fileOffset(), before + 1, s.offsets(), s.hashes(), s.count(), s.endOffset()));
          }
          before += segment.lineCount();
        }
        lines.sort(Comparator.comparingLong(Line::number));
        return new Result(lines, new LineIndex(file, index));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while scanning " + file, e);
      } catch (ExecutionException e) {
        throw new IOException(
            "scanning " + file + " failed: " + e.getCause().getMessage(), e.getCause());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  /** The lines that start in one segment: how many, and those that matched (numbered from 1). */
  private record Segment(long lineCount, List<Line> matches, LineIndex.@Nullable Segment index) {}

  private static Segment scanSegment(
      FileChannel channel,
      long size,
      long start,
      long end,
      ByteLineTest test,
      @Nullable LineHasher hasher)
      throws IOException {
    long readFrom = Math.max(0, start - 1);
    long readTo = Math.min(size, end + MAX_LINE);
    int limit = (int) (readTo - readFrom);
    byte[] bytes = read(channel, readFrom, limit);
    int stop = (int) (end - readFrom);
    int position = (int) (start - readFrom);
    if (start > 0 && bytes[position - 1] != '\n') {
      position = next(bytes, position, limit) + 1;
    }
    int first = position;
    int count = 0;
    List<Line> matches = new ArrayList<>();
    int[] offsets = new int[hasher == null ? 0 : 1024];
    int[] hashes = new int[offsets.length];
    int lastEnd = position;
    while (position < stop && position < limit) {
      int newline = next(bytes, position, limit);
      int lineEnd = LineReader.contentEnd(bytes, position, newline);
      if (hasher != null) {
        if (count == offsets.length) {
          offsets = Arrays.copyOf(offsets, offsets.length * 2);
          hashes = Arrays.copyOf(hashes, hashes.length * 2);
        }
        offsets[count] = position - first;
        hashes[count] =
            lineEnd > position ? hasher.hash(bytes, position, lineEnd) : LineIndex.BLANK;
      }
      count++;
      if (lineEnd > position && test.matches(bytes, position, lineEnd)) {
        matches.add(new Line(count, utf8(bytes, position, lineEnd - position)));
      }
      lastEnd = newline;
      position = newline + 1;
    }
    LineIndex.Segment index =
        hasher == null
            ? null
            : new LineIndex.Segment(readFrom + first, 0, offsets, hashes, count, lastEnd - first);
    return new Segment(count, matches, index);
  }

  /**
   * One read buffer per scanning thread: segments are large, and allocating each anew costs GCs.
   */
  private static final ThreadLocal<byte[]> BUFFERS = new ThreadLocal<>();

  private static byte[] read(FileChannel channel, long from, int length) throws IOException {
    byte[] bytes = BUFFERS.get();
    if (bytes == null || bytes.length < length) {
      bytes = new byte[length];
      BUFFERS.set(bytes);
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, from + buffer.position()) < 0) {
        break;
      }
    }
    if (buffer.position() < length) {
      throw new IOException("file shrank while it was being read");
    }
    return bytes;
  }

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long NEWLINES = 0x0a0a0a0a0a0a0a0aL;
  private static final long LOW_BITS = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;

  /**
   * The index of the next newline at or after {@code from}, or {@code limit}: eight bytes at a time
   * (a word has a newline byte when {@code word ^ 0x0a..0a} has a zero byte).
   */
  static int next(byte[] bytes, int from, int limit) {
    int i = from;
    for (; i + 8 <= limit; i += 8) {
      long x = (long) LONGS.get(bytes, i) ^ NEWLINES;
      long found = (x - LOW_BITS) & ~x & HIGH_BITS;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
    }
    for (; i < limit; i++) {
      if (bytes[i] == '\n') {
        return i;
      }
    }
    return limit;
  }

  /** The index of the first {@code pattern} in {@code bytes[from, to)}, or -1. */
  public static int indexOf(byte[] bytes, int from, int to, byte[] pattern) {
    byte first = pattern[0];
    int last = to - pattern.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (bytes[i] != first) {
        continue;
      }
      for (int j = 1; j < pattern.length; j++) {
        if (bytes[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Whether {@code bytes[from, to)} holds {@code b}. */
  public static boolean has(byte[] bytes, int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (bytes[i] == b) {
        return true;
      }
    }
    return false;
  }
}
