package dev.v2pledger.replay;

import static dev.v2pledger.replay.ToolRunner.fixture;
import static dev.v2pledger.replay.ToolRunner.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file whose positions go backwards or repeat within a partition (concatenated or re-sorted
 * exports) is refused, exit 2, naming both lines: folded in file order it gave another answer than
 * the projector's, which folds each partition in offset order.
 */
class PositionOrderTest {
  private static final String A = "a0000001-0000-4000-8000-000000000001";

  /** The fixture's events in partition 0, at offsets 10, 11, ...; each line once per copy. */
  private static List<String> exported() throws Exception {
    List<String> out = new ArrayList<>();
    long offset = 10;
    for (String line : Files.readAllLines(fixture("races.jsonl"))) {
      if (!line.isBlank()) {
        out.add(
            line.substring(0, line.length() - 1)
                + ",\"position\":{\"partition\":0,\"offset\":"
                + offset++
                + ",\"timestamp\":\"2026-11-23T03:10:01Z\"}}");
      }
    }
    return out;
  }

  @Test
  void aPositionBeforeTheOneAboveItInItsPartitionIsRefused(@TempDir Path dir) throws Exception {
    List<String> lines = exported();
    String second = lines.get(1);
    lines.set(1, lines.get(2)); // 0:12 on line 2, 0:11 on line 3
    lines.set(2, second);
    Path file = Files.write(dir.resolve("resorted.jsonl"), lines);
    String error =
        file
            + ": line 3 (0:11) is not after line 2 (0:12) in partition 0: a file must keep each"
            + " partition's events in offset order, as the projector folded them (a concatenated or"
            + " re-sorted export?)";

    run("rebuild", "--from-file", "" + file).assertUsageError("rebuild: " + error);
    run("stats", "--from-file", "" + file).assertUsageError("stats: " + error);
    run("history", "--from-file", "" + file, "--instance", A).assertUsageError("history: " + error);
  }

  @Test
  void aRepeatedPositionIsRefused(@TempDir Path dir) throws Exception {
    List<String> lines = exported();
    List<String> twice = new ArrayList<>(lines);
    twice.addAll(lines);
    Path file = Files.write(dir.resolve("concatenated.jsonl"), twice);

    run("rebuild", "--from-file", "" + file)
        .assertUsageError(
            "rebuild: "
                + file
                + ": line "
                + (lines.size() + 1)
                + " (0:10) is not after line "
                + lines.size()
                + " (0:"
                + (10 + lines.size() - 1)
                + ") in partition 0: a file must keep each partition's events in offset order, as"
                + " the projector folded them (a concatenated or re-sorted export?)");
  }
}
