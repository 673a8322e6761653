package dev.v2pledger.replay.source;

import dev.v2pledger.schema.jsonl.LineReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Where every line of a file starts and a hash of its instance id, built during one {@link
 * LineScan}: a second question about other instances is then answered by reading only their lines
 * instead of scanning the whole file again. Eight bytes per line.
 */
public final class LineIndex {
  /** The hash of a line whose instance id could not be read without parsing: always fetched. */
  public static final int UNKNOWN = 0;

  /** The hash of an empty line: never fetched. */
  public static final int BLANK = -1;

  /** One segment's lines: file offset of the segment, offsets within it, id hashes, line count. */
  record Segment(
      long fileOffset, long firstLine, int[] offsets, int[] hashes, int count, int endOffset) {}

  private final Path file;
  private final List<Segment> segments;

  LineIndex(Path file, List<Segment> segments) {
    this.file = file;
    this.segments = List.copyOf(segments);
  }

  /** The hash {@link LineSniffer} gives an instance id (lowercase text), never {@link #UNKNOWN}. */
  public static int hash(byte[] bytes, int from) {
    int h = 1;
    for (int k = 0; k < 36; k++) {
      byte b = bytes[from + k];
      h = 31 * h + (b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b);
    }
    return h == UNKNOWN || h == BLANK ? 1 : h;
  }

  public static int hash(String lowercaseId) {
    return hash(lowercaseId.getBytes(StandardCharsets.US_ASCII), 0);
  }

  /** The lines whose hash {@code wanted} accepts, or whose id was unknown, in file order. */
  public List<LineScan.Line> fetch(IntPredicate wanted) throws IOException {
    List<LineScan.Line> lines = new ArrayList<>();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      for (Segment segment : segments) {
        for (int i = 0; i < segment.count(); i++) {
          int hash = segment.hashes()[i];
          if (hash == UNKNOWN || (hash != BLANK && wanted.test(hash))) {
            int end = i + 1 < segment.count() ? segment.offsets()[i + 1] - 1 : segment.endOffset();
            lines.add(
                new LineScan.Line(
                    segment.firstLine() + i,
                    read(
                        channel,
                        segment.fileOffset() + segment.offsets()[i],
                        end - segment.offsets()[i])));
          }
        }
      }
    }
    return lines;
  }

  private static @Nullable String read(FileChannel channel, long from, int length)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) >= 0) {
      // read until full
    }
    return LineScan.utf8(
        buffer.array(), 0, LineReader.contentEnd(buffer.array(), 0, buffer.position()));
  }

  public long lines() {
    return segments.stream().mapToLong(Segment::count).sum();
  }
}
