package dev.v2pledger.replay;

import static dev.v2pledger.replay.ToolRunner.fixture;
import static dev.v2pledger.replay.ToolRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command numbers a file's lines by one rule (JSON Lines': a line ends at {@code \n}, a
 * {@code \r} right before it is not part of it, a lone {@code \r} is): {@code history}'s byte scan
 * counted {@code \n} only while the line reader of {@code rebuild}, {@code stats}, {@code publish}
 * and every error message also split at a lone {@code \r}, so line numbers, and {@code
 * --until-offset N} (a line number in file mode), differed between them.
 */
class LineBreaksTest {
  private static final String A = "a0000001-0000-4000-8000-000000000001";
  private static final String SLED = "51ed0000-0000-4000-8000-000000000001";

  @Test
  void aLineEndingInTwoCarriageReturnsIsOneLineForHistoryAndRebuild(@TempDir Path dir)
      throws Exception {
    String races = Files.readString(fixture("races.jsonl"));
    Path file = Files.writeString(dir.resolve("cr.jsonl"), races.replaceFirst("\n", "\r\r\n"));

    ToolRunner.Run history =
        run("history", "--from-file", "" + file, "--instance", A, "--until-offset", "2");
    ToolRunner.Run rebuild =
        run("rebuild", "--from-file", "" + file, "--until-offset", "2", "--format", "json");

    assertThat(history.exit()).as(history.err()).isZero();
    assertThat(history.out()).contains("[line 2] 2026-11-23T03:10:02Z nexus VmmPlaced");
    assertThat(rebuild.exit()).as(rebuild.err()).isZero();
    assertThat(rebuild.out()).contains(SLED); // line 2 placed A there
  }

  @Test
  void aFileOfCarriageReturnsOnlyIsOneLineForEveryCommand(@TempDir Path dir) throws Exception {
    String races = Files.readString(fixture("races.jsonl"));
    Path file = Files.writeString(dir.resolve("cr-only.jsonl"), races.replace('\n', '\r'));

    ToolRunner.Run history = run("history", "--from-file", "" + file, "--instance", A);
    ToolRunner.Run rebuild = run("rebuild", "--from-file", "" + file);

    assertThat(rebuild.exit()).as(rebuild.out()).isEqualTo(2);
    assertThat(rebuild.err()).contains(file + ": line 1: ");
    assertThat(history.exit()).as(history.out()).isEqualTo(2);
    assertThat(history.err()).contains(file + ": line 1: ");
  }
}
