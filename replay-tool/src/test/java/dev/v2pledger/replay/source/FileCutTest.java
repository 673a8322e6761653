package dev.v2pledger.replay.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.replay.ToolRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cut of a file replay, which {@code verify} compares the topic at: each partition the file has
 * at its first event excluded, or past its last; unknown for a file without log positions.
 */
class FileCutTest {

  private static Path export(Path dir) throws Exception {
    return export(dir, "2026-11-23T03:10:01Z", "2026-11-23T03:10:01Z");
  }

  /** The fixture's events alternately in partitions 0 and 1, logged at those partitions' times. */
  private static Path export(Path dir, String time0, String time1) throws Exception {
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
            .append(",\"timestamp\":\"")
            .append(partition == 0 ? time0 : time1)
            .append("\"}}\n");
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

  /**
   * An --until-offset of the largest offset (a bound that bounds nothing, as an operator may write
   * "to the end") cuts the partition past its last event: {@code offset + 1} wrapped to {@code
   * Long.MIN_VALUE}, a cut before every event, so verify compared none of the partition's pairs.
   */
  @Test
  void anUntilOffsetOfTheLargestOffsetCutsPastThePartitionsLastEvent(@TempDir Path dir)
      throws Exception {
    Path file = export(dir);
    long events = Files.readAllLines(file).size();

    assertThat(replayed(file, StopPoint.parse("0:" + Long.MAX_VALUE, null)).cut())
        .containsEntry(0, 100 + events - (events % 2 == 0 ? 2 : 1) + 1)
        .containsEntry(1, 100 + events - (events % 2 == 0 ? 1 : 2) + 1);
  }

  /**
   * verify from an export with --until-time compares the topic at this cut: a partition whose
   * events all come after T is bounded at its first one (it was left unbounded, and the topic's
   * pairs of its events were all EXTRA, where the same cut from Kafka is equal).
   */
  @Test
  void aPartitionWhoseEventsAllComeAfterTheTimeIsCutAtItsFirstEvent(@TempDir Path dir)
      throws Exception {
    Path file = export(dir, "2026-11-23T03:10:01Z", "2026-11-23T03:20:00Z");
    long events = Files.readAllLines(file).size();

    assertThat(replayed(file, StopPoint.parse(null, "2026-11-23T03:15:00Z")).cut())
        .containsEntry(0, 100 + events - (events % 2 == 0 ? 2 : 1) + 1)
        .containsEntry(1, 101L)
        .hasSize(2);
    assertThat(replayed(file, StopPoint.parse(null, "2026-11-23T03:00:00Z")).cut())
        .containsEntry(0, 100L)
        .containsEntry(1, 101L)
        .hasSize(2);
  }

  /** No event at all is a cut at 0 of every partition (absent), not an unknown one. */
  @Test
  void anEmptyFileIsCutAtTheStartOfEveryPartition(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.jsonl"), "");

    assertThat(replayed(empty, StopPoint.NONE).cut()).isNotNull().isEmpty();
  }

  /** A file without positions has no cut, even when the stop point excluded every event. */
  @Test
  void aFileWithoutPositionsHasNoCutWhenNoEventIsIncluded() throws Exception {
    assertThat(
            replayed(
                    ToolRunner.fixture("races.jsonl"),
                    StopPoint.parse(null, "2000-01-01T00:00:00Z"))
                .cut())
        .isNull();
  }

  @Test
  void aFileWithoutPositionsHasNoCut() throws Exception {
    assertThat(replayed(ToolRunner.fixture("races.jsonl"), StopPoint.NONE).cut()).isNull();
  }
}
