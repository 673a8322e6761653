package dev.v2pledger.replay;

import static dev.v2pledger.replay.ToolRunner.fixture;
import static dev.v2pledger.replay.ToolRunner.ipHistoryPage;
import static dev.v2pledger.replay.ToolRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.replay.report.Progress;
import dev.v2pledger.runtime.time.UtcClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input gets one line and exit 2; nothing hangs. */
class ErrorsTest {

  @Test
  void historyRefusesToWriteItsHtmlOverTheFileItReads(@TempDir Path dir) throws Exception {
    Path file = Files.copy(fixture("races.jsonl"), dir.resolve("races.jsonl"));
    byte[] before = Files.readAllBytes(file);
    Path sameFileOtherName = dir.resolve("sub").resolve("..").resolve("races.jsonl");
    Files.createDirectory(dir.resolve("sub"));

    for (Path html : List.of(file, sameFileOtherName)) {
      ipHistoryPage(file, html)
          .assertUsageError(
              "history: --html " + html + " is the input file: it would be overwritten");
    }
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
  }

  /** A pipe cannot be scanned in parallel: history reads it through once, as rebuild does. */
  @Test
  @Timeout(60) // a build that scans a pipe as a file may wait on it for ever
  void historyReadsAPipe_asAFileGivesIt(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("events.fifo");
    Thread writer = fifoOfRaces(fifo);

    ToolRunner.Run piped =
        run("history", "--from-file", fifo.toString(), "--ip", "7777/172.30.0.1");
    writer.join(10_000);
    ToolRunner.Run file =
        run("history", "--from-file", fixture("races.jsonl").toString(), "--ip", "7777/172.30.0.1");

    assertThat(piped.exit()).as(piped.err()).isZero();
    assertThat(firstLine(piped.out()))
        .isEqualTo(
            firstLine(file.out()).replace(fixture("races.jsonl").toString(), fifo.toString()));
    assertThat(firstLine(file.out())).doesNotContain(": 0 event(s)");
  }

  /**
   * publish reads its file twice (it validates the whole file, then sends it), which a pipe does
   * not allow: refused before anything is read, exit 2, one line saying why. It read the pipe
   * through, then failed at the second read: 'publish: failed: IOException: Illegal seek', exit 1.
   */
  @Test
  @Timeout(60)
  void publishRefusesAPipe_itReadsTheFileTwice(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("events.fifo");
    Thread writer = fifoOfRaces(fifo);

    ToolRunner.Run run =
        run(
            "publish",
            "--from-file",
            fifo.toString(),
            "--bootstrap-servers",
            "127.0.0.1:1",
            "--append",
            "--timeout",
            "1s");
    if (writer.isAlive()) { // still waiting for a reader (nothing read the pipe): let it end
      Thread drain =
          new Thread(
              () -> {
                try {
                  Files.readAllBytes(fifo);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
      drain.setDaemon(true);
      drain.start();
    }
    writer.join(10_000);

    run.assertUsageError(
        "publish: cannot publish from "
            + fifo
            + ": it is not a regular file (a pipe?), and publish reads its file twice, to validate"
            + " it and then to send it: save it to a file first");
  }

  /**
   * export writes a new file beside its --out and moves it over it: an --out that is not a regular
   * file (a FIFO, /dev/stdout) is refused before the work, exit 2. It was replaced by the export,
   * so run as root with --out /dev/stdout, export replaced /dev/stdout, a link, with a file.
   */
  @Test
  void exportRefusesAnOutThatIsNotARegularFile(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("out.fifo");
    Assumptions.assumeTrue(
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "no mkfifo here");

    run("export", "--out", fifo.toString(), "--bootstrap-servers", "127.0.0.1:1", "--timeout", "1s")
        .assertUsageError(
            "export: cannot write "
                + fifo
                + ": it is not a regular file, and the output is written beside it and moved"
                + " over it: name a file");
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse("");
  }

  @Test
  void badLineNamesItsNumberAndField(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(
        file,
        Files.readAllLines(fixture("races.jsonl")).get(0)
            + "\n{\"type\":\"VmmPlaced\",\"instance_id\":\"x\"}\n");

    ToolRunner.Run run = run("rebuild", "--from-file", file.toString());

    run.assertUsageError(
        "rebuild: "
            + file
            + ": line 2: field 'instance_id': instance id 'x' is not a UUID (8-4-4-4-12 hex digits)");
  }

  /**
   * A file that is there but cannot be read is said so, not called missing; an output that cannot
   * be written is refused before the work. (Skipped where permissions do not bind: as root. To run
   * it as root, give Surefire a {@code -Djvm=.../bin/java} that runs {@code setpriv --bounding-set
   * -dac_override,-dac_read_search java "$@"}.)
   */
  @Test
  void anUnreadableInputAndAnUnwritableOutputAreNamedForWhatTheyAre(@TempDir Path dir)
      throws Exception {
    Path file = Files.copy(fixture("races.jsonl"), dir.resolve("locked.jsonl"));
    Path locked = Files.createDirectory(dir.resolve("locked"));
    Files.setPosixFilePermissions(file, Set.of());
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
    Assumptions.assumeFalse(Files.isReadable(file), "permissions do not bind here (root)");

    run("rebuild", "--from-file", file.toString())
        .assertUsageError("rebuild: cannot read " + file + ": permission denied");
    run("publish", "--from-file", file.toString(), "--bootstrap-servers", "127.0.0.1:1")
        .assertUsageError("publish: cannot read " + file + ": permission denied");
    run("verify", "--from-file", fixture("races.jsonl").toString(), "--xde-dump", file.toString())
        .assertUsageError("verify: --xde-dump " + file + ": cannot read it: permission denied");
    Path out = locked.resolve("export.jsonl");
    run("export", "--bootstrap-servers", "127.0.0.1:1", "--out", out.toString())
        .assertUsageError("export: cannot write " + out + ": permission denied");
  }

  /** A blank group would be asked for its offsets, and named as "group has committed nothing". */
  @Test
  void aBlankProjectorGroupIsRefusedBeforeTheBrokerIsAsked() {
    run("verify", "--bootstrap-servers", "127.0.0.1:1", "--timeout", "2s", "--projector-group", " ")
        .assertUsageError("verify: --projector-group must not be blank");
  }

  /**
   * An output name the file system refuses (longer than its 255 bytes) is refused before the work,
   * like a missing directory: it passed the check, and the export or the page failed at the end.
   */
  @Test
  void anOutputNameTheFileSystemRefusesIsRefusedBeforeTheWork(@TempDir Path dir) throws Exception {
    String name = "x".repeat(300);
    Path html = dir.resolve(name + ".html");
    Path out = dir.resolve(name + ".jsonl");

    ipHistoryPage(fixture("races.jsonl"), html)
        .assertUsageError("history: cannot write " + html + ": File name too long");
    run("export", "--bootstrap-servers", "127.0.0.1:1", "--timeout", "2s", "--out", out.toString())
        .assertUsageError("export: cannot write " + out + ": File name too long");
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left).isEmpty();
    }
  }

  /** Refused before any record is read: an empty log would otherwise accept it. */
  @Test
  void aLineNumberForKafkaIsRefusedBeforeTheBrokerIsAsked() {
    run("rebuild", "--bootstrap-servers", "127.0.0.1:1", "--timeout", "2s", "--until-offset", "3")
        .assertUsageError(
            "rebuild: --until-offset: 3 is a line number, which only a file has (give"
                + " PARTITION:OFFSET)");
  }

  @Test
  void lineZeroIsRefused_aFilesLinesStartAtOne() {
    run("rebuild", "--from-file", fixture("races.jsonl").toString(), "--until-offset", "0")
        .assertUsageError(
            "rebuild: --until-offset: 0 is neither a line number (a file's lines start at 1) nor"
                + " PARTITION:OFFSET");
  }

  /** history's subject is one of --instance and --ip, from the line, V2P_* or --config alike. */
  @Test
  void historysSubjectIsExactlyOne_andMayComeFromAConfigFile(@TempDir Path dir) throws Exception {
    String races = fixture("races.jsonl").toString();
    run("history", "--from-file", races)
        .assertUsageError("history: give --instance UUID or --ip VNI/IP");
    run(
            "history",
            "--from-file",
            races,
            "--ip",
            "7777/172.30.0.1",
            "--instance",
            "a0000001-0000-4000-8000-000000000001")
        .assertUsageError("history: give --instance or --ip, not both");
    Path config = dir.resolve("history.properties");
    Files.writeString(config, "ip = 7777/172.30.0.1\n");

    ToolRunner.Run fromConfig = run("history", "--from-file", races, "--config", config.toString());

    assertThat(fromConfig.exit()).as(fromConfig.err()).isZero();
    assertThat(fromConfig.out()).contains("7777/172.30.0.1");
    ToolRunner.Run typedBeatsConfig =
        run(
            "history",
            "--from-file",
            races,
            "--config",
            config.toString(),
            "--instance",
            "a0000001-0000-4000-8000-000000000001");
    assertThat(typedBeatsConfig.exit()).as(typedBeatsConfig.err()).isZero();
    assertThat(typedBeatsConfig.out()).contains("a0000001-0000-4000-8000-000000000001");
  }

  /** A cluster typed beside a file would be left unread without a word: refused. */
  @ParameterizedTest
  @CsvSource({
    "rebuild, --bootstrap-servers, localhost:9",
    "stats, --kafka-config, client.properties",
    "history, --bootstrap-servers, localhost:9"
  })
  void aClusterBesideAFileForACommandThatReadsOneSource_isRefused(
      String command, String option, String value) {
    String[] args =
        command.equals("history")
            ? new String[] {
              command,
              "--from-file",
              fixture("races.jsonl").toString(),
              option,
              value,
              "--instance",
              "a0000001-0000-4000-8000-000000000001"
            }
            : new String[] {
              command, "--from-file", fixture("races.jsonl").toString(), option, value
            };

    run(args)
        .assertUsageError(
            command
                + ": --from-file and "
                + option
                + " name two sources, and only the file would be read: give one");
  }

  /** A bound on a partition the export does not have would bound nothing: refused, not ignored. */
  @Test
  void untilOffsetOfAPartitionTheExportLacks_isRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("export.jsonl");
    StringBuilder export = new StringBuilder();
    long offset = 0;
    for (String line : Files.readAllLines(fixture("races.jsonl"))) {
      if (!line.isBlank()) {
        export
            .append(line, 0, line.length() - 1)
            .append(",\"position\":{\"partition\":0,\"offset\":")
            .append(offset++)
            .append(",\"timestamp\":\"2026-11-23T03:10:01Z\"}}\n");
      }
    }
    Files.writeString(file, export);

    ToolRunner.Run bounded =
        run("rebuild", "--from-file", file.toString(), "--until-offset", "0:2");
    ToolRunner.Run nowhere =
        run("rebuild", "--from-file", file.toString(), "--until-offset", "9:2");

    assertThat(bounded.exit()).as(bounded.err()).isZero();
    nowhere.assertUsageError("rebuild: --until-offset: " + file + " has no event of partition 9");
  }

  @Test
  void missingFileNoSourceAndBadFlagsAreExitTwo() {
    ToolRunner.Run missing = run("rebuild", "--from-file", "/nonexistent/x.jsonl");
    ToolRunner.Run noSource = run("stats");
    ToolRunner.Run badFlag =
        run("rebuild", "--from-file", fixture("races.jsonl").toString(), "--format", "yaml");
    ToolRunner.Run badOffset =
        run("rebuild", "--from-file", fixture("races.jsonl").toString(), "--until-offset", "a:b");

    missing.assertUsageError("rebuild: cannot read /nonexistent/x.jsonl: no such file");
    noSource.assertUsageError(
        "stats: give --from-file FILE.jsonl or --bootstrap-servers HOST:PORT");
    assertThat(badFlag.exit()).isEqualTo(2);
    assertThat(badFlag.err()).contains("Invalid value for option '--format'").hasLineCount(1);
    badOffset.assertUsageError(
        "rebuild: --until-offset: 'a:b' is not PARTITION:OFFSET (or a line number for a file)");
  }

  /**
   * A bound that would be ignored, or that says two things, is refused: never a silent full replay.
   */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "','     | --until-offset: '' is not PARTITION:OFFSET (or a line number for a file)",
        "'4,'    | --until-offset: '' is not PARTITION:OFFSET (or a line number for a file)",
        "0:1,0:2 | --until-offset: partition 0 twice",
        "3,4     | --until-offset: more than one line number",
        "3,9:5   | --until-offset: give PARTITION:OFFSET (a log or an export) or one line number (a"
            + " file without positions), not both",
        "0:1     | --until-offset: PARTITION:OFFSET needs Kafka positions, and line 1 of the file"
            + " has none (give a line number)"
      })
  void anUntilOffsetThatCannotApplyIsRefused(String untilOffset, String message) {
    ToolRunner.Run run =
        run(
            "rebuild",
            "--from-file",
            fixture("races.jsonl").toString(),
            "--until-offset",
            untilOffset);

    run.assertUsageError("rebuild: " + message);
  }

  /** verify with nothing to compare with says what is missing, as the command line left it. */
  @Test
  void verifyWithNothingToCompareWith_namesWhatIsMissing() {
    String events = fixture("races.jsonl").toString();

    run("verify", "--from-file", events)
        .assertUsageError(
            "verify: nothing to compare with: give --bootstrap-servers (for v2p.mappings) and/or"
                + " --xde-dump FILE");
    run("verify", "--bootstrap-servers", "127.0.0.1:1", "--no-topic")
        .assertUsageError(
            "verify: nothing to compare with: --no-topic leaves out v2p.mappings; give --xde-dump"
                + " FILE");
  }

  /** A line that is not UTF-8 is refused by every reader, with its number (publish did before). */
  @Test
  void aLineThatIsNotUtf8IsRefusedWithItsNumber(@TempDir Path dir) throws Exception {
    List<String> lines = Files.readAllLines(fixture("races.jsonl"));
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    for (int i = 0; i < lines.size(); i++) {
      byte[] line = lines.get(i).getBytes(StandardCharsets.UTF_8);
      if (i == 2) { // its source, "nexus" or "sled-agent", gets a byte UTF-8 never has
        String spoilt = lines.get(i).replaceFirst("\"source\":\"", "\"source\":\"\u0001");
        line = spoilt.getBytes(StandardCharsets.UTF_8);
        line[spoilt.indexOf('\u0001')] = (byte) 0xff;
      }
      text.write(line);
      text.write('\n');
    }
    Path file = Files.write(dir.resolve("bad-utf8.jsonl"), text.toByteArray());
    String instance = lines.get(2).replaceFirst(".*\"instance_id\":\"([^\"]+)\".*", "$1");

    for (String command : List.of("rebuild", "stats")) {
      run(command, "--from-file", file.toString())
          .assertUsageError(command + ": " + file + ": line 3: not UTF-8 text");
    }
    run("history", "--from-file", file.toString(), "--instance", instance)
        .assertUsageError("history: " + file + ": line 3: not UTF-8 text");
  }

  /**
   * A line of white space JSON does not have (an em space) is no blank line: every reader refuses
   * it with its number, as it would any line that is not an event (String.isBlank passed it over).
   */
  @Test
  void aLineOfOtherWhiteSpace_isRefusedWithItsNumber_notPassedOver(@TempDir Path dir)
      throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(fixture("races.jsonl")));
    String instance = lines.get(2).replaceFirst(".*\"instance_id\":\"([^\"]+)\".*", "$1");
    lines.add(2, "\u2003");
    Path file = Files.write(dir.resolve("em-space.jsonl"), lines);

    for (String command : List.of("rebuild", "stats")) {
      ToolRunner.Run run = run(command, "--from-file", file.toString());
      assertThat(run.exit()).as(command).isEqualTo(2);
      assertThat(run.err()).as(command).startsWith(command + ": " + file + ": line 3: ");
    }
    ToolRunner.Run history = run("history", "--from-file", file.toString(), "--instance", instance);
    assertThat(history.exit()).isEqualTo(2);
    assertThat(history.err()).startsWith("history: " + file + ": line 3: ");
  }

  @Test
  void unreachableBrokerFailsWithinTheTimeout() {
    long start = System.nanoTime();

    ToolRunner.Run run = run("rebuild", "--bootstrap-servers", "127.0.0.1:1", "--timeout", "2s");

    run.assertUsageError("rebuild: cannot reach Kafka at 127.0.0.1:1 within 2 s");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
  }

  @Test
  void aSubSecondTimeoutIsPrintedAsGiven() {
    ToolRunner.Run run = run("rebuild", "--bootstrap-servers", "127.0.0.1:1", "--timeout", "500ms");

    run.assertUsageError("rebuild: cannot reach Kafka at 127.0.0.1:1 within 500 ms");
  }

  @Test
  void helpDocumentsExitCodes() {
    ToolRunner.Run run = run("--help");

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("Exit codes:")
        .contains("2  unusable input")
        .contains("rebuild")
        .contains("publish");
  }

  /** Every command answers --version as the tool does: one line, exit 0. */
  @Test
  void everyCommandPrintsTheVersion() {
    for (String command : List.of("rebuild", "history", "verify", "export", "publish", "stats")) {
      for (String flag : List.of("--version", "-V")) {
        ToolRunner.Run run = run(command, flag);

        assertThat(run.exit()).as(command + " " + flag).isZero();
        assertThat(run.out()).as(command + " " + flag).isEqualTo(run("--version").out());
        assertThat(run.out()).startsWith("replay-tool ");
        assertThat(run.err()).isEmpty();
      }
    }
  }

  /** A bound on some partitions does not stop the others: the help says so. */
  @Test
  void untilOffsetsHelpSaysPartitionsNotNamedAreReadToTheirEnd() {
    for (String command : List.of("rebuild", "history", "verify", "stats")) {
      ToolRunner.Run run = run(command, "--help");

      assertThat(run.exit()).isZero();
      assertThat(run.out().replaceAll("\\s+", " "))
          .contains(
              "every partition not named is read to its end (from Kafka, its end when the replay"
                  + " started)");
    }
  }

  @Test
  void progressBarDrawsOnlyWhenEnabledAndAfterAFewSeconds() {
    AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-23T03:00:00Z"));
    Clock clock = UtcClock.of(now::get);
    ByteArrayOutputStream shown = new ByteArrayOutputStream();
    ByteArrayOutputStream hidden = new ByteArrayOutputStream();
    try (Progress on =
            new Progress(
                new PrintStream(shown, true, StandardCharsets.UTF_8), true, clock, () -> 0.5);
        Progress off =
            new Progress(
                new PrintStream(hidden, true, StandardCharsets.UTF_8), false, clock, () -> 0.5)) {
      on.tick(10);
      assertThat(shown.size()).isZero();
      now.set(now.get().plusSeconds(3));
      on.tick(30_000);
      off.tick(30_000);
    }

    assertThat(shown.toString(StandardCharsets.UTF_8))
        .contains("[===============               ]  50% 30,000 events, 10,000/s");
    assertThat(hidden.size()).isZero();
  }

  /** Found by the hardening module's CLI tests: accepted (exit 0), or "failed" with exit 1. */
  @Test
  void negativeOffsetsDirectoriesAndMissingOutputDirectoriesAreExitTwo(@TempDir Path dir) {
    String races = fixture("races.jsonl").toString();
    ToolRunner.Run negative = run("rebuild", "--from-file", races, "--until-offset", "1:-5");
    ToolRunner.Run directory = run("stats", "--from-file", dir.toString());
    ToolRunner.Run html =
        run("history", "--from-file", races, "--ip", "7777/172.30.0.1", "--html", "/no/dir/x.html");
    ToolRunner.Run out = run("export", "--bootstrap-servers", "127.0.0.1:1", "--out", "/no/dir/x");
    ToolRunner.Run timeout =
        run(
            "export",
            "--bootstrap-servers",
            "127.0.0.1:1",
            "--out",
            dir.resolve("x.jsonl").toString(),
            "--timeout",
            "PT-1S");

    assertThat(negative.err().strip())
        .isEqualTo(
            "rebuild: --until-offset: '1:-5' is not PARTITION:OFFSET (or a line number for a file)");
    assertThat(directory.err().strip())
        .isEqualTo("stats: cannot read " + dir + ": it is a directory");
    assertThat(html.err().strip())
        .isEqualTo("history: cannot write /no/dir/x.html: no such directory /no/dir");
    assertThat(out.err().strip())
        .isEqualTo("export: cannot write /no/dir/x: no such directory /no/dir");
    assertThat(timeout.err().strip())
        .isEqualTo("export: --timeout must be between 1 ms and 24 days, got PT-1S");
    assertThat(List.of(negative, directory, html, out, timeout))
        .extracting(ToolRunner.Run::exit)
        .containsOnly(2);
  }

  /**
   * Makes {@code fifo} a named pipe (the test is skipped where mkfifo is missing) and starts a
   * daemon thread that writes races.jsonl into it once a reader opens it; returns that thread.
   */
  private static Thread fifoOfRaces(Path fifo) throws Exception {
    Assumptions.assumeTrue(
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "no mkfifo here");
    Thread writer =
        new Thread(
            () -> {
              try {
                Files.write(fifo, Files.readAllBytes(fixture("races.jsonl")));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    writer.setDaemon(true);
    writer.start();
    return writer;
  }
}
