package dev.v2pledger.replay.kafka;

import dev.v2pledger.replay.source.DeadLettered;
import dev.v2pledger.replay.source.KafkaEventSource;
import dev.v2pledger.runtime.kafka.KafkaAccess;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.EventAdmission;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.jsonl.JsonlWriter;
import dev.v2pledger.schema.registry.LogSchemas;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Exports {@code v2p.events} as JSON lines: each partition is spooled to its own temporary file in
 * log order, then the files are merged by log time (then partition), so the export holds one global
 * order that keeps every partition's order, whatever its size. What the projector did not fold is
 * left out: records it refuses, and events it dead-lettered that this build admits. The export is
 * written to a temporary file and moved into place, so a failed export never leaves half a file;
 * the spool is removed when the export ends, or is stopped by a signal, or by the next export in
 * the same directory after a {@code kill -9} ({@link ExportSpool}).
 */
public final class EventExporter {
  /**
   * How many events were written, how many records were left out because the projector refuses them
   * (they do not decode, or sit under another key or in another partition than their instance's),
   * by reason, and how many events this build admits were left out because the projector
   * dead-lettered them ({@code v2p.events.dlq} names them), by the letter's reason; what could not
   * be told of those ({@link DeadLettered#unknown}), or null; the letters whose record is not in
   * {@code v2p.events} any more, which left nothing out ({@link DeadLettered#stale}), or null; and
   * the partitions whose log no longer started at offset 0 when the export began (records deleted
   * by retention or {@code deleteRecords}, not in the export), with their start offsets, in
   * partition order; and how many spools that killed exports had left in the output's directory
   * were removed first.
   */
  public record Result(
      long events,
      long undecodable,
      Map<String, Long> refused,
      Map<String, Long> deadLettered,
      @Nullable String deadLettersUnknown,
      @Nullable String staleLetters,
      Map<Integer, Long> truncatedStarts,
      int spoolsRemoved) {}

  private EventExporter() {}

  public static Result export(KafkaAccess kafka, Path out) throws IOException {
    out = replaced(out);
    int spoolsRemoved = ExportSpool.sweep(out.getParent());
    try (ExportSpool spool = ExportSpool.create(out.getParent())) {
      Path dir = spool.dir();
      Map<Integer, BufferedWriter> spools = new HashMap<>();
      long[] counts = {0, 0};
      Map<String, Long> refused = new TreeMap<>();
      Map<String, Long> deadLettered = new TreeMap<>();
      int partitions = kafka.partitions(Topics.EVENTS).size();
      DeadLettered letters = DeadLettered.read(kafka);
      Map<Integer, Long> truncated = kafka.truncatedStarts(Topics.EVENTS);
      Map<Integer, Long> ends;
      try (LogSchemas schemas = LogSchemas.open(kafka.clientConfig())) {
        EventAdmission admission = new EventAdmission(schemas);
        ends =
            kafka.readToEnd(
                Topics.EVENTS,
                record -> {
                  // a schema v2p.schemas did not answer for, or refused: one line, not left out
                  // (unless a letter names it: then it is, and null)
                  String lettered = letters.reason(record);
                  EventAdmission.Verdict verdict =
                      KafkaEventSource.judge(admission, record, partitions, lettered);
                  if (verdict != null && !verdict.admitted()) {
                    counts[1]++;
                    refused.merge(verdict.reason().name(), 1L, Long::sum);
                    return true;
                  }
                  if (lettered != null) { // a replay of the file folds what the projector folded
                    deadLettered.merge(lettered, 1L, Long::sum);
                    return true;
                  }
                  var event = Objects.requireNonNull(verdict).event();
                  EventPosition position =
                      new EventPosition(
                          record.partition(),
                          record.offset(),
                          Instant.ofEpochMilli(record.timestamp()));
                  BufferedWriter partitionSpool =
                      spools.computeIfAbsent(record.partition(), p -> open(dir.resolve("p" + p)));
                  try {
                    partitionSpool.write(
                        record.timestamp() + "\t" + JsonlWriter.toLine(event, position) + "\n");
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                  counts[0]++;
                  return true;
                });
      }
      for (BufferedWriter partitionSpool : spools.values()) {
        partitionSpool.close();
      }
      Path merged = dir.resolve("merged.jsonl");
      merge(spools.keySet(), dir, merged);
      Files.move(merged, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return new Result(
          counts[0],
          counts[1],
          refused,
          deadLettered,
          letters.unknown(),
          letters.stale(truncated, ends, ends),
          Collections.unmodifiableMap(truncated),
          spoolsRemoved);
    } catch (UncheckedIOException e) {
      throw e.getCause();
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

  /**
   * The file the export replaces: {@code out}, or the file a symbolic link {@code out} names (the
   * move replaces that file and the link stays a link, as a write through it would leave it).
   */
  private static Path replaced(Path out) throws IOException {
    Path absolute = out.toAbsolutePath();
    return Files.isSymbolicLink(absolute) && Files.exists(absolute)
        ? absolute.toRealPath()
        : absolute;
  }
}
