package dev.v2pledger.replay.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.replay.ToolRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cut of a file replay, which {@code verify} compares the topic at: past the last event
 * included of each partition the file has; unknown for a file without log positions.
 */
class FileCutTest {

  private static Path export(Path dir) throws Exception {
    List<String> lines = Files.readAllLines(ToolRunner.fixture("races.jsonl"));
    StringBuilder out = new StringBuilder();
    long offset = 0;
    for (String line : lines) {
      if (!line.isBlank()) {
        long partition = offset % 2;
        out.append(line, 0, line.length() - 1)
            .append(",\"position\":{\"partition\":")
            .append(partition)
            .append(",\"offset\":")
            .append(100 + offset++)
            .append(",\"timestamp\":\"2026-11-23T03:10:01Z\"}}\n");
      }
    }
    Path file = dir.resolve("export.jsonl");
    Files.writeString(file, out);
    return file;
  }

  private static JsonlEventSource replayed(Path file, StopPoint stop) throws Exception {
    JsonlEventSource source = new JsonlEventSource(file, stop);
    source.forEach(event -> true);
    return source;
  }

  @Test
  void aFileWithPositionsIsCutPastEachPartitionsLastIncludedEvent(@TempDir Path dir)
      throws Exception {
    Path file = export(dir);
    long events = Files.readAllLines(file).size();

    assertThat(replayed(file, StopPoint.NONE).cut())
        .containsEntry(0, 100 + events - (events % 2 == 0 ? 2 : 1) + 1)
        .containsEntry(1, 100 + events - (events % 2 == 0 ? 1 : 2) + 1)
        .hasSize(2);
    assertThat(replayed(file, StopPoint.parse("0:104,1:101", null)).cut())
        .containsEntry(0, 105L)
        .containsEntry(1, 102L);
  }

  @Test
  void aFileWithoutPositionsHasNoCut() throws Exception {
    assertThat(replayed(ToolRunner.fixture("races.jsonl"), StopPoint.NONE).cut()).isNull();
  }
}
