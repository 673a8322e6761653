package dev.v2pledger.replay;

import static dev.v2pledger.replay.ToolRunner.fixture;
import static dev.v2pledger.replay.ToolRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An answer of nothing says it folded nothing: a cut before the first event (a mistyped year) or an
 * empty file (a failed copy) would otherwise read as a rack with nothing mapped.
 */
class NothingFoldedTest {

  @Test
  void aCutBeforeTheFirstEvent_isNoted_andTheAnswerStaysEmpty() {
    String file = fixture("races.jsonl").toString();

    ToolRunner.Run run =
        run("rebuild", "--from-file", file, "--until-time", "2020-01-01T00:00:00Z");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).startsWith("instances: 0");
    assertThat(run.err().lines())
        .contains(
            "rebuild: note: no event was folded: "
                + file
                + " has none at or before --until-time 2020-01-01T00:00:00Z");
  }

  @Test
  void anEmptyFile_isNotedByRebuildStatsAndVerify(@TempDir Path dir) throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.jsonl"));
    Path dump = Files.writeString(dir.resolve("dump.json"), "[]");

    for (String[] args :
        new String[][] {
          {"rebuild", "--from-file", empty.toString()},
          {"stats", "--from-file", empty.toString()},
          {"verify", "--from-file", empty.toString(), "--xde-dump", dump.toString()},
        }) {
      ToolRunner.Run run = run(args);

      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.err().lines())
          .as(args[0])
          .contains(args[0] + ": note: no event was folded: " + empty + " has none");
    }
  }

  @Test
  void aReplayThatFoldedEvents_saysNothingOfTheKind() {
    ToolRunner.Run run = run("rebuild", "--from-file", fixture("races.jsonl").toString());

    assertThat(run.exit()).isZero();
    assertThat(run.err()).doesNotContain("no event was folded");
  }
}
