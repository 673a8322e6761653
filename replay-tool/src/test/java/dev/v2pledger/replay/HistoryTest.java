package dev.v2pledger.replay;

import static dev.v2pledger.replay.ToolRunner.fixture;
import static dev.v2pledger.replay.ToolRunner.ipHistoryPage;
import static dev.v2pledger.replay.ToolRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
  /** {@code history --from-file races.jsonl} and then {@code args}. */
  private static ToolRunner.Run history(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "history";
    all[1] = "--from-file";
    all[2] = fixture("races.jsonl").toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return run(all);
  }

  @Test
  void instanceHistoryShowsEveryEventWithTheFoldsDecisionAndVersions() {
    ToolRunner.Run run = history("--instance", "A0000001-0000-4000-8000-000000000001");

    assertThat(run.exit()).as(run.err()).isZero();
    List<String> blocks = List.of(run.out().split("\n\n"));
    assertThat(blocks.get(0))
        .startsWith("history of instance a0000001-0000-4000-8000-000000000001: 6 event(s) from ");
    assertThat(blocks).hasSize(7);
    assertThat(blocks.get(2))
        .startsWith("[line 2] 2026-11-23T03:10:02Z nexus VmmPlaced")
        .contains(
            "emitted:  7777/172.30.0.1/1 SET -> sled 51ed0000-0000-4000-8000-000000000001 (fd00:1122:3344:101::1) v(1, 1)");
    assertThat(blocks.get(5))
        .startsWith("[line 5]")
        .contains(
            "rule 8 (location): migration 319a0000-0000-4000-8000-000000000001 FAILED; rule 8"
                + " (location): re-asserted on sled 51ed0000-0000-4000-8000-000000000001")
        .contains("v(1, 2)");
    assertThat(blocks.get(6))
        .contains(
            "decision: rule 7 (VmmReported): VMM 7a000002-0000-4000-8000-000000000002 reported"
                + " DESTROYED (gen 3)")
        .doesNotContain("emitted");
  }

  @Test
  void historyOfAStaleReportShowsTheIgnoredReason() {
    ToolRunner.Run run = history("--instance", "a0000003-0000-4000-8000-000000000003");

    assertThat(run.out())
        .contains(
            "MigrationReported 319a0000-0000-4000-8000-000000000003 SOURCE FAILED gen 1\n"
                + "    decision: ignored: past_migration [rule 6 (MigrationReported)]");
  }

  @Test
  void ipHistoryFollowsBothOwnersOfAReusedIp() {
    ToolRunner.Run run = history("--ip", "7777/172.30.0.50");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .startsWith("history of IP 7777/172.30.0.50: 3 event(s)")
        .contains("7777/172.30.0.50/2 SET -> sled 51ed0000-0000-4000-8000-000000000003")
        .contains("7777/172.30.0.50/1 SET -> sled 51ed0000-0000-4000-8000-000000000002");
    assertThat(run.out().indexOf("[line 26]")).isLessThan(run.out().indexOf("[line 27]"));
  }

  /**
   * {@code --html} replaces a page it wrote before, but never another file: pointed at the evidence
   * by mistake (an export, an XDE dump), it refuses and the file stays as it was.
   */
  @Test
  void htmlReplacesAPageWrittenBefore_butNeverAnotherFile(@TempDir Path dir) throws Exception {
    Path html = dir.resolve("page.html");
    String instance = "a0000002-0000-4000-8000-000000000002";
    assertThat(history("--instance", instance, "--html", html.toString()).exit()).isZero();
    Files.writeString(html, Files.readString(html).replace("</body>", "<!-- old --></body>"));
    Path export = Files.copy(fixture("races.jsonl"), dir.resolve("incident.jsonl"));
    String evidence = Files.readString(export);

    ToolRunner.Run again = history("--instance", instance, "--html", html.toString());
    ToolRunner.Run onExport = history("--instance", instance, "--html", export.toString());

    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(Files.readString(html)).as("replaced").doesNotContain("<!-- old -->");
    onExport.assertUsageError(
        "history: --html "
            + export
            + " exists and is not a page this command wrote: not overwritten (remove it, or name"
            + " another file)");
    assertThat(Files.readString(export)).isEqualTo(evidence);
    Path empty = Files.createFile(dir.resolve("empty.html"));
    assertThat(history("--instance", instance, "--html", empty.toString()).exit())
        .as("an empty file holds nothing to lose")
        .isZero();
    assertThat(Files.readString(empty)).startsWith("<!DOCTYPE html>");
  }

  @Test
  void htmlPageHoldsTheTimelineOfAKnownHistory(@TempDir Path dir) throws Exception {
    Path html = dir.resolve("b.html");

    ToolRunner.Run run =
        history("--instance", "a0000002-0000-4000-8000-000000000002", "--html", html.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    String page = Files.readString(html);
    assertThat(page)
        .startsWith("<!DOCTYPE html>")
        .contains("<svg")
        .doesNotContain("<script", "src=", "<link", "@import");
    assertThat(page)
        .contains(
            "<title>migration 319a0000-0000-4000-8000-000000000002 to sled 51ed0000-0000-4000-8000-000000000002 started</title>");
    assertThat(page)
        .contains(
            "<title>migration 319a0000-0000-4000-8000-000000000002 COMPLETED</title></circle>");
    assertThat(page)
        .contains(
            "<title>sled 51ed0000-0000-4000-8000-000000000001 (VMM 7a000003-0000-4000-8000-000000000003) from");
    assertThat(page)
        .contains(
            "<title>sled 51ed0000-0000-4000-8000-000000000002 (VMM 7a000004-0000-4000-8000-000000000004) from");
    assertThat(page.split("<tr>", -1)).hasSize(1 + 1 + 6);
  }

  /**
   * An IP's page: its first lane is where the IP is mapped to, whichever instance's event it was
   * (the old owner's later events do not move it back).
   */
  @Test
  void ipHtmlPage_showsTheMappingInForce(@TempDir Path dir) throws Exception {
    Path html = dir.resolve("ip.html");

    ToolRunner.Run run = history("--ip", "7777/172.30.0.50", "--html", html.toString());

    assertThat(run.exit()).as(run.err()).isZero();
    List<String> lane =
        Pattern.compile("height=\"20\" fill=\"[^\"]*\"><title>([^<]*)</title>")
            .matcher(Files.readString(html))
            .results()
            .map(m -> m.group(1))
            .toList();
    assertThat(lane)
        .hasSize(3)
        .allSatisfy(
            title ->
                assertThat(title)
                    .startsWith(
                        "7777/172.30.0.50/2 SET -&gt; sled 51ed0000-0000-4000-8000-000000000003"));
  }

  /**
   * The SVG's numbers are written as SVG reads them, whatever the machine's locale: under one with
   * a decimal comma (de-DE) every coordinate was {@code x="150,0"}, which SVG does not read, and
   * the paths' {@code M 510,0 38} moved to the wrong points.
   */
  @Test
  void htmlPageUnderADecimalCommaLocale_hasSvgNumbers(@TempDir Path dir) throws Exception {
    Path html = dir.resolve("de.html");
    Locale before = Locale.getDefault();
    ToolRunner.Run run;
    try {
      Locale.setDefault(Locale.GERMANY);
      run = history("--ip", "7777/172.30.0.1", "--html", html.toString());
    } finally {
      Locale.setDefault(before);
    }

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(Files.readString(html))
        .contains("<rect x=\"150.0\" y=\"4\" width=\"180.0\"")
        .doesNotContainPattern("(x|x1|x2|cx|width)=\"[0-9]+,[0-9]");
  }

  /** {@code history --from-file} a copy of races.jsonl with {@code edit} made to each line. */
  private static ToolRunner.Run historyOfEdited(
      Path dir, UnaryOperator<String> edit, String... args) throws Exception {
    Path file = dir.resolve("edited.jsonl");
    Files.write(file, Files.readAllLines(fixture("races.jsonl")).stream().map(edit).toList());
    String[] all = new String[args.length + 3];
    all[0] = "history";
    all[1] = "--from-file";
    all[2] = file.toString();
    System.arraycopy(args, 0, all, 3, args.length);
    ToolRunner.Run run = run(all);
    assertThat(run.exit()).as(run.err()).isZero();
    return run;
  }

  /**
   * Events without a time (no position, no occurred_at): the page shows none, and makes none up.
   */
  @Test
  void htmlPageOfEventsWithoutTimes_showsNoTime(@TempDir Path dir) throws Exception {
    Path html = dir.resolve("untimed.html");

    historyOfEdited(
        dir,
        line -> line.replaceAll(",\"occurred_at\":\"[^\"]*\"", ""),
        "--instance",
        "a0000002-0000-4000-8000-000000000002",
        "--html",
        html.toString());

    String page = Files.readString(html);
    assertThat(page).contains("no times known").doesNotContain("1970-").doesNotContain("occurred");
    assertThat(page).contains("<td>-</td>");
  }

  /** A publisher's name with a line break cannot make up a line of the history. */
  @Test
  void aSourceWithALineBreak_staysOnItsLine(@TempDir Path dir) throws Exception {
    ToolRunner.Run run =
        historyOfEdited(
            dir,
            line -> line.replace("\"source\":\"nexus\"", "\"source\":\"nexus\\n    emitted:  x\""),
            "--instance",
            "a0000001-0000-4000-8000-000000000001");

    assertThat(run.out())
        .contains(" nexus?    emitted:  x NicAttached")
        .doesNotContain("\n    emitted:  x");
  }

  /**
   * A JSON string may spell a lone surrogate ({@code \\ud800}), which no UTF-8 text holds (no event
   * of the log has one: Avro's strings are UTF-8): events-schema refuses such a source, so the line
   * is reported with its number and field, as any line that breaks a rule, and no page is written.
   */
  @Test
  void aSourceWithALoneSurrogate_isRefusedNamingItsLineAndField(@TempDir Path dir)
      throws Exception {
    Path html = dir.resolve("surrogate.html");
    Path file = dir.resolve("edited.jsonl");
    Files.write(
        file,
        Files.readAllLines(fixture("races.jsonl")).stream()
            .map(line -> line.replace("\"source\":\"nexus\"", "\"source\":\"<b>nexus\\ud800\""))
            .toList());

    ToolRunner.Run run = ipHistoryPage(file, html);

    assertThat(run.exit()).as(run.err()).isNotZero();
    assertThat(run.err()).contains("line 1: field 'source'").contains("lone surrogate");
    assertThat(html).doesNotExist();
  }

  /**
   * A file cut short while it was copied (its last line a NicAttached of the IP, truncated): a
   * history of the IP up to a line before it reads as a rebuild up to that line does, and as the
   * history of an instance does. The search for the IP's owners read past the cut and refused the
   * truncated line (exit 2).
   */
  @Test
  void ipHistoryUpToALine_doesNotReadABrokenLinePastIt(@TempDir Path dir) throws Exception {
    List<String> lines = Files.readAllLines(fixture("races.jsonl"));
    Path file = dir.resolve("truncated.jsonl");
    Files.writeString(
        file, String.join("\n", lines) + "\n" + lines.get(0).substring(0, 150)); // no line end
    String cut = "6";

    ToolRunner.Run rebuild = run("rebuild", "--from-file", "" + file, "--until-offset", cut);
    ToolRunner.Run ip =
        run("history", "--from-file", "" + file, "--until-offset", cut, "--ip", "7777/172.30.0.1");

    assertThat(rebuild.exit()).as(rebuild.err()).isZero();
    assertThat(ip.exit()).as(ip.err()).isZero();
    assertThat(ip.out())
        .startsWith("history of IP 7777/172.30.0.1: 6 event(s) from " + file)
        .contains("[line 6] ");
  }

  @Test
  void subjectIsRequiredAndIpMustBeVniSlashIp() {
    assertThat(history().exit()).isEqualTo(2);
    ToolRunner.Run bad = history("--ip", "172.30.0.1");
    bad.assertUsageError("history: --ip: '172.30.0.1' is not VNI/IP (e.g. 7777/172.30.0.5)");
  }
}
