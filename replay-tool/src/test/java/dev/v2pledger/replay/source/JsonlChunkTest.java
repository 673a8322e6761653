package dev.v2pledger.replay.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.jsonl.JsonlReader;
import dev.v2pledger.schema.jsonl.LineReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The file replay parses chunks of lines on worker threads, several chunks in flight: a chunk is
 * bounded by its characters as well as its lines, so a file of long lines (up to the 1 Mi
 * characters a line may hold) does not take 2048 of them, gigabytes, per chunk. A 400 MB file of
 * 400 such lines, each refused, failed a rebuild at -Xmx200m with an OutOfMemoryError and its stack
 * trace (exit 1) before its first line was refused.
 */
class JsonlChunkTest {

  @Test
  void aChunkOfLongLinesIsBoundedByItsCharacters() throws Exception {
    String line = "{\"type\":\"" + "A".repeat(JsonlReader.MAX_LINE_CHARS / 2) + "\"}\n";
    byte[] file = line.repeat(20).getBytes(StandardCharsets.UTF_8);
    List<String> chunk = new ArrayList<>();
    long[] lineNumber = {0};

    try (LineReader reader =
        LineReader.utf8(new ByteArrayInputStream(file), JsonlReader.MAX_LINE_CHARS)) {
      boolean more = JsonlEventSource.readChunk(reader, chunk, lineNumber);

      assertThat(more).isTrue();
      assertThat(chunk.stream().mapToLong(String::length).sum())
          .isLessThan(JsonlEventSource.CHUNK_CHARS + JsonlReader.MAX_LINE_CHARS);
      assertThat(lineNumber[0]).isEqualTo(chunk.size());
    }
  }

  @Test
  void aChunkOfUsualEventsKeepsItsLines() throws Exception {
    String line = "{\"type\":\"" + "A".repeat(400) + "\"}\n";
    byte[] file = line.repeat(3000).getBytes(StandardCharsets.UTF_8);
    List<String> chunk = new ArrayList<>();

    try (LineReader reader =
        LineReader.utf8(new ByteArrayInputStream(file), JsonlReader.MAX_LINE_CHARS)) {
      JsonlEventSource.readChunk(reader, chunk, new long[] {0});

      assertThat(chunk).hasSize(2048);
    }
  }
}
