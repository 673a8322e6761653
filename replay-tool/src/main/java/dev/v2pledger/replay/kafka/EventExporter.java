package dev.v2pledger.replay.kafka;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.EventCodec;
import dev.v2pledger.schema.codec.RecordDecodeException;
import dev.v2pledger.schema.codec.RecordOrigin;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.jsonl.JsonlWriter;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Exports {@code v2p.events} as JSON lines: each partition is spooled to its own temporary file in
 * log order, then the files are merged by log time (then partition), so the export holds one global
 * order that keeps every partition's order, whatever its size. The export is written to a temporary
 * file and moved into place, so a failed export never leaves half a file.
 */
public final class EventExporter {
  /** How many events were written, and how many records did not decode. */
  public record Result(long events, long undecodable) {}

  private EventExporter() {}

  public static Result export(KafkaAccess kafka, Path out) throws IOException {
    Path dir = Files.createTempDirectory(absolute(out).getParent(), ".export-");
    try {
      Map<Integer, BufferedWriter> spools = new HashMap<>();
      long[] counts = {0, 0};
      EventCodec codec = new EventCodec();
      kafka.readToEnd(
          Topics.EVENTS,
          record -> {
            try {
              var event =
                  codec.decode(
                      record.value(),
                      RecordOrigin.of(record.topic(), record.partition(), record.offset()));
              EventPosition position =
                  new EventPosition(
                      record.partition(),
                      record.offset(),
                      Instant.ofEpochMilli(record.timestamp()));
              BufferedWriter spool =
                  spools.computeIfAbsent(record.partition(), p -> open(dir.resolve("p" + p)));
              spool.write(record.timestamp() + "\t" + JsonlWriter.toLine(event, position) + "\n");
              counts[0]++;
            } catch (RecordDecodeException e) {
              counts[1]++;
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            return true;
          });
      for (BufferedWriter spool : spools.values()) {
        spool.close();
      }
      Path merged = dir.resolve("merged.jsonl");
      merge(spools.keySet(), dir, merged);
      Files.move(merged, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Result(counts[0], counts[1]);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } finally {
      deleteQuietly(dir);
    }
  }

  /** A spooled line: its log time, partition, and the JSON line itself. */
  private record Head(long timestamp, int partition, String line, BufferedReader reader) {}

  private static void merge(Iterable<Integer> partitions, Path dir, Path merged)
      throws IOException {
    PriorityQueue<Head> heads =
        new PriorityQueue<>(
            Comparator.comparingLong(Head::timestamp).thenComparingInt(Head::partition));
    try (BufferedWriter out = Files.newBufferedWriter(merged, StandardCharsets.UTF_8)) {
      for (int partition : partitions) {
        advance(
            heads,
            partition,
            Files.newBufferedReader(dir.resolve("p" + partition), StandardCharsets.UTF_8));
      }
      while (!heads.isEmpty()) {
        Head head = heads.poll();
        out.write(head.line());
        out.write('\n');
        advance(heads, head.partition(), head.reader());
      }
    }
  }

  private static void advance(PriorityQueue<Head> heads, int partition, BufferedReader reader)
      throws IOException {
    String spooled = reader.readLine();
    if (spooled == null) {
      reader.close();
      return;
    }
    int tab = spooled.indexOf('\t');
    heads.add(
        new Head(
            Long.parseLong(spooled.substring(0, tab)),
            partition,
            spooled.substring(tab + 1),
            reader));
  }

  private static BufferedWriter open(Path file) {
    try {
      return Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path absolute(Path out) {
    return out.toAbsolutePath();
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a leftover temp dir is harmless
    }
  }
}
