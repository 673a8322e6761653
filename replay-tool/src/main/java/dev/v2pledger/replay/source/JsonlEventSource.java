package dev.v2pledger.replay.source;

import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.schema.jsonl.JsonlEvent;
import dev.v2pledger.schema.jsonl.JsonlException;
import dev.v2pledger.schema.jsonl.JsonlReader;
import dev.v2pledger.schema.jsonl.LineReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Events of a JSON-lines file, in file order. Lines are parsed in chunks on worker threads and
 * handed to the sink in order, so the fold (one thread) is not held up by JSON parsing. A bad line
 * stops the replay with its line number and what is wrong ({@link UsageException}), after every
 * event before it was delivered: a replay never silently skips an event.
 */
public final class JsonlEventSource implements FileEventSource {
  private static final int CHUNK_LINES = 2048;

  /**
   * A chunk also ends once its lines hold this many characters, so that the chunks in flight stay
   * small whatever the lines' length: 2048 lines of the longest kind (a line may hold {@link
   * JsonlReader#MAX_LINE_CHARS}) are gigabytes. 2048 events of the usual size are below it.
   */
  static final int CHUNK_CHARS = 1 << 20;

  private final Path file;
  private final StopPoint stop;
  private final int parsers;
  private final AtomicLong bytesRead = new AtomicLong();
  private final long size;

  public JsonlEventSource(Path file, StopPoint stop) {
    this(file, stop, Runtime.getRuntime().availableProcessors());
  }

  public JsonlEventSource(Path file, StopPoint stop, int parsers) {
    this.file = file;
    this.stop = stop;
    this.parsers = Math.max(1, parsers);
    NarrowedFileSource.checkReadable(file);
    try {
      this.size = Files.size(file);
    } catch (NoSuchFileException e) {
      throw new UsageException("cannot read " + file + ": no such file");
    } catch (IOException e) {
      throw new UsageException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** The events of one chunk, and the error that ended it early, if any. */
  private record Parsed(List<JsonlEvent> events, @Nullable JsonlException error) {}

  /** The partitions of the events read, to refuse an --until-offset of one the file lacks. */
  private final Set<Integer> partitionsSeen = new HashSet<>();

  /** Past the last event included, by partition; see {@link #cut()}. */
  private final Map<Integer, Long> included = new TreeMap<>();

  /** The first event the stop point excluded, by partition; see {@link #cut()}. */
  private final Map<Integer, Long> excluded = new TreeMap<>();

  private boolean unpositioned;

  @Override
  public void forEach(Sink sink) throws IOException {
    PartitionOrder order = new PartitionOrder(file); // refuses positions out of order
    ExecutorService pool =
        Executors.newFixedThreadPool(
            parsers,
            runnable -> {
              Thread thread = new Thread(runnable, "jsonl-parser");
              thread.setDaemon(true);
              return thread;
            });
    try (InputStream raw = new CountingStream(Files.newInputStream(file), bytesRead);
        LineReader reader = LineReader.utf8(raw, JsonlReader.MAX_LINE_CHARS)) {
      Deque<Future<Parsed>> inFlight = new ArrayDeque<>();
      long[] lineNumber = {0};
      boolean more = true;
      while (more || !inFlight.isEmpty()) {
        while (more && inFlight.size() < 2 * parsers + 2) {
          List<String> lines = new ArrayList<>(CHUNK_LINES);
          long first = lineNumber[0] + 1;
          JsonlException notText = null;
          try {
            more = readChunk(reader, lines, lineNumber);
          } catch (CharacterCodingException e) { // after the lines before it, as a bad line
            more = false;
            notText = JsonlException.notUtf8(lineNumber[0] + 1);
          }
          if (!lines.isEmpty()) {
            inFlight.add(pool.submit(() -> parse(lines, first)));
          }
          if (notText != null) {
            inFlight.add(CompletableFuture.completedFuture(new Parsed(List.of(), notText)));
          }
        }
        if (!inFlight.isEmpty() && !deliver(await(inFlight.poll()), sink, order)) {
          return;
        }
      }
      for (int partition : stop.untilOffsets().keySet()) {
        if (!partitionsSeen.contains(partition)) { // a bound that bounded nothing
          throw new UsageException(
              "--until-offset: " + file + " has no event of partition " + partition);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Reads the next chunk's lines into {@code lines}; false at the end of the file. */
  static boolean readChunk(LineReader reader, List<String> lines, long[] lineNumber)
      throws IOException {
    long chars = 0;
    while (lines.size() < CHUNK_LINES && chars < CHUNK_CHARS) {
      String line = reader.readLine();
      if (line == null) {
        return false;
      }
      lineNumber[0]++;
      lines.add(line);
      chars += line.length();
    }
    return true;
  }

  private static Parsed parse(List<String> lines, long firstLine) {
    List<JsonlEvent> events = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (JsonlReader.isBlank(line)) {
        continue;
      }
      try {
        events.add(JsonlReader.parseLine(line, firstLine + i));
      } catch (JsonlException e) {
        return new Parsed(events, e);
      }
    }
    return new Parsed(events, null);
  }

  private Parsed await(Future<Parsed> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UsageException("interrupted", Cli.EXIT_FAILURE);
    } catch (ExecutionException e) {
      throw new IOException("parsing " + file + " failed", e.getCause());
    }
  }

  /** Hands a chunk's events to the sink in order; false when the replay should stop. */
  private boolean deliver(Parsed parsed, Sink sink, PartitionOrder order) {
    for (JsonlEvent line : parsed.events()) {
      if (stop.untilLine() != null && line.line() > stop.untilLine()) {
        return false;
      }
      Position position = new Position(line.line(), line.position());
      order.check(position);
      if (position.kafka() != null) {
        partitionsSeen.add(position.kafka().partition());
      } else {
        unpositioned = true;
      }
      if (!stop.includes(position, line.event().occurredAt())) {
        if (position.kafka() != null) {
          excluded.merge(position.kafka().partition(), position.kafka().offset(), Math::min);
        }
        continue;
      }
      if (position.kafka() != null) {
        included.merge(position.kafka().partition(), position.kafka().offset() + 1, Math::max);
      }
      if (!sink.accept(new ReplayEvent(line.event(), position))) {
        return false;
      }
    }
    if (parsed.error() != null) {
      if (stop.untilLine() != null && parsed.error().line() > stop.untilLine()) {
        return false;
      }
      throw new UsageException(
          file + ": " + parsed.error().getMessage(), Cli.EXIT_USAGE, parsed.error());
    }
    return true;
  }

  /**
   * For each partition the file has events of: its first event the stop point excluded (or past its
   * --until-offset bound, if lower), or, when it excluded none, past its last event (an export
   * leaves refused records out, so a partition's cut ends at its last valid event). A partition the
   * file has no event of is absent, which {@link EventSource#cut()} reads as bounded at 0: an
   * export holds every partition's events, so it had none when the file was written (an empty file
   * thus bounds every partition at 0). Null when an event of the file, included or not, came
   * without its position.
   */
  @Override
  public @Nullable Map<Integer, Long> cut() {
    if (unpositioned) {
      return null;
    }
    Map<Integer, Long> cut = new TreeMap<>(included);
    excluded.forEach((partition, offset) -> cut.put(partition, offset));
    stop.untilOffsets() // an offset the export lacks between the bound and the next event
        .forEach( // compared before adding 1: the largest offset plus 1 would wrap
            (partition, offset) ->
                cut.computeIfPresent(partition, (p, at) -> offset < at ? offset + 1 : at));
    return Collections.unmodifiableMap(cut);
  }

  /** Bytes read so far and the file size, for progress. */
  public double fractionRead() {
    return size == 0 ? 1 : Math.min(1.0, (double) bytesRead.get() / size);
  }

  @Override
  public Path file() {
    return file;
  }

  /** Counts bytes as they are read. */
  private static final class CountingStream extends FilterInputStream {
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
