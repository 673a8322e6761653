package dev.v2pledger.replay.source;

import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.schema.jsonl.JsonlEvent;
import dev.v2pledger.schema.jsonl.JsonlException;
import dev.v2pledger.schema.jsonl.JsonlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Some lines of a JSON-lines file, in file order and with their real line numbers, found without
 * decoding the others (by a {@link LineScan}, or from a {@link LineIndex}). Used by {@code
 * history}, which only needs the lines of the instances involved. Lines it skips are not validated:
 * {@code rebuild} and {@code stats} read every line; positions out of order among the lines read
 * are refused as {@link JsonlEventSource} refuses them.
 */
public record NarrowedFileSource(Path file, StopPoint stop, LineFinder finder)
    implements FileEventSource {
  /** Finds the lines to read. */
  @FunctionalInterface
  public interface LineFinder {
    List<LineScan.Line> find() throws IOException;
  }

  /** The lines of {@code file} that {@code test} accepts, found by a parallel scan. */
  public static NarrowedFileSource scanning(Path file, StopPoint stop, LineScan.ByteLineTest test) {
    checkReadable(file);
    return new NarrowedFileSource(
        file, stop, () -> LineScan.scan(file, Runtime.getRuntime().availableProcessors(), test));
  }

  /** A usage error (exit 2) unless {@code file} is a file that can be read. */
  public static void checkReadable(Path file) {
    if (Files.isDirectory(file)) {
      throw new UsageException("cannot read " + file + ": it is a directory");
    }
    if (!Files.exists(file)) {
      throw new UsageException("cannot read " + file + ": no such file");
    }
    if (!Files.isReadable(file)) {
      throw new UsageException("cannot read " + file + ": permission denied");
    }
  }

  @Override
  public void forEach(Sink sink) throws IOException {
    PartitionOrder order = new PartitionOrder(file);
    for (LineScan.Line line : finder.find()) {
      if (stop.untilLine() != null && line.number() > stop.untilLine()) {
        return;
      }
      if (line.text() == null) {
        throw new UsageException(file + ": " + JsonlException.notUtf8(line.number()).getMessage());
      }
      if (JsonlReader.isBlank(line.text())) {
        continue;
      }
      JsonlEvent event;
      try {
        event = JsonlReader.parseLine(line.text(), line.number());
      } catch (JsonlException e) {
        throw new UsageException(file + ": " + e.getMessage(), Cli.EXIT_USAGE, e);
      }
      Position position = new Position(event.line(), event.position());
      order.check(position);
      if (stop.includes(position, event.event().occurredAt())
          && !sink.accept(new ReplayEvent(event.event(), position))) {
        return;
      }
    }
  }
}
