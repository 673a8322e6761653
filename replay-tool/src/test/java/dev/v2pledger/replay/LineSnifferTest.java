package dev.v2pledger.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.replay.source.LineScan;
import dev.v2pledger.replay.source.LineSniffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The byte-level line tests that let history skip other instances, through a real mapped scan. */
class LineSnifferTest {
  private static final String ID = "8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6";
  private static final String OTHER = "00000000-0b1c-4d5e-8f90-a1b2c3d4e5f6";

  private static List<Long> matching(Path dir, List<String> lines, LineScan.ByteLineTest test)
      throws Exception {
    Path file = dir.resolve("lines.jsonl");
    Files.write(file, lines);
    return LineScan.scan(file, 2, test).stream().map(LineScan.Line::number).toList();
  }

  @Test
  void keepsTheInstancesLinesWhateverCaseOrSpacingAndAnythingUnsure(@TempDir Path dir)
      throws Exception {
    List<String> lines =
        List.of(
            "{\"type\":\"NicDetached\",\"instance_id\":\"" + ID + "\"}",
            "{ \"instance_id\" :  \"" + ID.toUpperCase() + "\" }",
            "{\"type\":\"NicDetached\",\"instance_id\":\"" + OTHER + "\"}",
            "{\"instance\\u005fid\":\"" + OTHER + "\"}",
            "{\"instance_id\":\"" + OTHER + "\",\"x\":{\"instance_id\":\"" + ID + "\"}}",
            "{\"instance_id\":\"short\"}",
            "",
            "{\"type\":\"InstanceDeleted\"}",
            "{\"type\":\"NicDetached\",\"instance_id\":\""
                + OTHER
                + "\",\"source\":\"a \\\"quoted\\\" instance_id\"}",
            "{\"type\":\"NicDetached\",\"instance_id\":\""
                + ID.toUpperCase()
                + "\",\"source\":\"x\"}");

    assertThat(matching(dir, lines, (b, f, t) -> LineSniffer.mayBeInstance(b, f, t, Set.of(ID))))
        .containsExactly(1L, 2L, 4L, 5L, 6L, 8L, 10L);
  }

  @Test
  void neverRulesOutANicAttachedLine(@TempDir Path dir) throws Exception {
    String canonical = "\",\"instance_id\":\"" + ID + "\",\"nic_id\":\"x\"}";
    List<String> lines =
        List.of(
            "{\"type\":\"NicAttached\"}",
            "{\"type\":\"Nic\\u0041ttached\"}",
            "{\"type\":\"VmmPlaced\"}",
            "{\"type\":\"NicAttached" + canonical,
            "{\"type\":\"NicDetached" + canonical.replace("x\"}", "NicAttached\"}"),
            "{ \"type\": \"NicAttached" + canonical);

    assertThat(matching(dir, lines, LineSniffer::mayBeNicAttached)).containsExactly(1L, 2L, 4L, 6L);
  }

  @Test
  void lineNumbersSurviveSegmentsAndWindowsLineEnds(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("big.jsonl");
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 30_000; i++) {
      text.append(
              i % 1000 == 0
                  ? "{\"type\":\"NicAttached\",\"n\":" + i + "}"
                  : "{\"type\":\"VmmPlaced\",\"padding\":\"" + "x".repeat(400) + "\"}")
          .append(i % 2 == 0 ? "\r\n" : "\n");
    }
    Files.writeString(file, text);

    List<LineScan.Line> lines = LineScan.scan(file, 3, LineSniffer::mayBeNicAttached, 64 << 10);

    assertThat(Files.size(file)).isGreaterThan(100L * (64 << 10));
    assertThat(lines).hasSize(30);
    assertThat(lines)
        .allSatisfy(
            line ->
                assertThat(line.text())
                    .isEqualTo("{\"type\":\"NicAttached\",\"n\":" + line.number() + "}"));
  }

  @Test
  void rulesOutAnotherVniOnlyWhenCertain(@TempDir Path dir) throws Exception {
    List<String> lines =
        List.of(
            "{\"type\":\"NicAttached\",\"vni\":7777,\"ips\":[]}",
            "{\"type\":\"NicAttached\",\"vni\":7778,\"ips\":[]}",
            "{\"type\":\"NicAttached\",\"vni\": 77,\"ips\":[]}",
            "{\"type\":\"NicAttached\",\"vni\":7778,\"source\":\"\\\"vni\\\":7777\"}",
            "{\"type\":\"NicAttached\",\"vni\":7778,\"x\":{\"vni\":7777}}",
            "{\"type\":\"NicAttached\",\"vni\":\"7777\"}",
            "{\"type\":\"NicAttached\"}");

    assertThat(matching(dir, lines, (b, f, t) -> LineSniffer.mayHaveVni(b, f, t, 7777)))
        .containsExactly(1L, 4L, 5L, 6L, 7L);
  }
}
