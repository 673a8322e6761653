package dev.v2pledger.replay.source;

import dev.v2pledger.ops.UsageException;
import dev.v2pledger.schema.jsonl.JsonlEvent;
import dev.v2pledger.schema.jsonl.JsonlException;
import dev.v2pledger.schema.jsonl.JsonlReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events of a JSON-lines file, in file order. A bad line stops the replay with its line number and
 * what is wrong ({@link UsageException}): a replay never silently skips an event.
 */
public final class JsonlEventSource implements EventSource {
  private final Path file;
  private final StopPoint stop;
  private final AtomicLong bytesRead = new AtomicLong();
  private final long size;

  public JsonlEventSource(Path file, StopPoint stop) {
    this.file = file;
    this.stop = stop;
    try {
      this.size = Files.size(file);
    } catch (NoSuchFileException e) {
      throw new UsageException("cannot read " + file + ": no such file");
    } catch (IOException e) {
      throw new UsageException("cannot read " + file + ": " + e.getMessage());
    }
  }

  @Override
  public void forEach(Sink sink) throws IOException {
    try (InputStream raw = new CountingStream(Files.newInputStream(file), bytesRead);
        JsonlReader reader =
            new JsonlReader(
                new BufferedReader(new InputStreamReader(raw, StandardCharsets.UTF_8), 1 << 16))) {
      while (reader.hasNext()) {
        JsonlEvent line = reader.next();
        Position position = new Position(line.line(), line.position());
        if (stop.untilLine() != null && line.line() > stop.untilLine()) {
          return;
        }
        if (!stop.includes(position, line.event().occurredAt())) {
          continue;
        }
        if (!sink.accept(new ReplayEvent(line.event(), position))) {
          return;
        }
      }
    } catch (JsonlException e) {
      throw new UsageException(file + ": " + e.getMessage(), dev.v2pledger.ops.Cli.EXIT_USAGE, e);
    }
  }

  /** Bytes read so far and the file size, for progress. */
  public double fractionRead() {
    return size == 0 ? 1 : Math.min(1.0, (double) bytesRead.get() / size);
  }

  @Override
  public long undecodable() {
    return 0;
  }

  @Override
  public String describe() {
    return file.toString();
  }

  @Override
  public void close() {}

  /** Counts bytes as they are read. */
  private static final class CountingStream extends java.io.FilterInputStream {
    private final AtomicLong count;

    CountingStream(InputStream in, AtomicLong count) {
      super(in);
      this.count = count;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count.incrementAndGet();
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count.addAndGet(n);
      }
      return n;
    }
  }
}
