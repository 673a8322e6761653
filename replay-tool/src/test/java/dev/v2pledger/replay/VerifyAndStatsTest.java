package dev.v2pledger.replay;

import static dev.v2pledger.replay.ToolRunner.fixture;
import static dev.v2pledger.replay.ToolRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyAndStatsTest {
  private static final String S1 = "fd00:1122:3344:101::1";
  private static final String S2 = "fd00:1122:3344:102::1";
  private static final String S3 = "fd00:1122:3344:103::1";

  /**
   * The XDE table a correct sled holds after the races fixture, plus the services VNI's own entry.
   */
  private static List<String> correctDump() {
    List<String> entries = new ArrayList<>();
    entries.add(entry(100, "172.30.0.99", "a8:40:25:ff:ff:ff", S1));
    entries.add(entry(7777, "172.30.0.1", "a8:40:25:00:00:01", S1));
    entries.add(entry(7777, "172.30.0.2", "a8:40:25:00:00:02", S2));
    entries.add(entry(7777, "172.30.0.3", "a8:40:25:00:00:03", S3));
    entries.add(entry(7777, "172.30.0.4", "a8:40:25:00:00:04", S3));
    entries.add(entry(7777, "172.30.0.50", "a8:40:25:00:00:06", S3));
    return entries;
  }

  private static String entry(int vni, String ip, String mac, String underlay) {
    return "{\"vni\":"
        + vni
        + ",\"ip\":\""
        + ip
        + "\",\"mac\":\""
        + mac
        + "\",\"underlay_ip\":\""
        + underlay
        + "\"}";
  }

  private static ToolRunner.Run verify(Path dir, List<String> entries) throws Exception {
    Path dump = dir.resolve("dump.json");
    Files.writeString(dump, "[" + String.join(",", entries) + "]");
    return run(
        "verify", "--from-file", fixture("races.jsonl").toString(), "--xde-dump", dump.toString());
  }

  @Test
  void givenTheRightXdeTable_whenVerified_thenEqualAndExitZero(@TempDir Path dir) throws Exception {
    ToolRunner.Run run = verify(dir, correctDump());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains(": equal");
  }

  @Test
  void givenAMissingEntry_whenVerified_thenMissingWithItsVersionAndExitOne(@TempDir Path dir)
      throws Exception {
    List<String> dump = correctDump();
    dump.remove(1);

    ToolRunner.Run run = verify(dir, dump);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .contains("1 difference(s)")
        .containsPattern(
            "MISSING\\s+7777/172.30.0.1\\s+expected: 7777/172.30.0.1/1 SET .* v\\(1, 2\\); found: not in the XDE table");
  }

  @Test
  void givenAStaleUnderlayAndAnExtraEntry_whenVerified_thenDifferentAndExtra(@TempDir Path dir)
      throws Exception {
    List<String> dump = correctDump();
    dump.set(2, entry(7777, "172.30.0.2", "a8:40:25:00:00:02", S1));
    dump.add(entry(7777, "172.30.0.77", "a8:40:25:00:00:77", S2));

    ToolRunner.Run run = verify(dir, dump);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .contains("2 difference(s)")
        .containsPattern(
            "DIFFERENT\\s+7777/172.30.0.2\\s+expected: .*sled 51ed0000-0000-4000-8000-000000000002.*; found: mac a8:40:25:00:00:02 underlay fd00:1122:3344:101::1")
        .containsPattern(
            "EXTRA\\s+7777/172.30.0.77\\s+expected: nothing; found: mac a8:40:25:00:00:77");
  }

  /** VNI 100 is never compared, whatever --exclude-vni adds, as appliers never touch it. */
  @Test
  void theServicesVniIsNeverCompared_otherExcludedVnisBesideIt(@TempDir Path dir) throws Exception {
    List<String> entries = correctDump();
    entries.add(entry(100, "172.31.255.1", "a8:40:25:00:01:00", S1));
    entries.add(entry(200, "10.20.0.1", "a8:40:25:00:02:00", S1));
    Path dump = dir.resolve("dump.json");
    Files.writeString(dump, "[" + String.join(",", entries) + "]");
    String races = fixture("races.jsonl").toString();

    ToolRunner.Run plain = run("verify", "--from-file", races, "--xde-dump", dump.toString());
    ToolRunner.Run more =
        run("verify", "--from-file", races, "--xde-dump", dump.toString(), "--exclude-vni", "200");

    assertThat(plain.exit()).isEqualTo(1);
    assertThat(plain.out()).contains("1 difference(s)").contains("EXTRA").contains("200/10.20.0.1");
    assertThat(more.exit()).as(more.out()).isZero();
    assertThat(more.out()).contains(": equal");
  }

  @Test
  void unreadableDumpIsExitTwo(@TempDir Path dir) throws Exception {
    Path dump = dir.resolve("dump.json");
    Files.writeString(
        dump,
        "[{\"vni\":7777,\"ip\":\"nope\",\"mac\":\"a8:40:25:00:00:02\",\"underlay_ip\":\"fd00::1\"}]");

    ToolRunner.Run run =
        run(
            "verify",
            "--from-file",
            fixture("races.jsonl").toString(),
            "--xde-dump",
            dump.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err().strip())
        .endsWith("dump.json: entry 0: field 'ip': 'nope' is not an IPv4 or IPv6 address");
    assertThat(run("verify", "--from-file", fixture("races.jsonl").toString()).exit()).isEqualTo(2);
  }

  @Test
  void statsCountTypesIgnoredReasonsAndMigrationOutcomes() {
    ToolRunner.Run run = run("stats", "--from-file", fixture("races.jsonl").toString());

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("events: 28  instances: 6  records emitted: 11  refused: 0")
        .containsPattern("NicAttached\\s+6")
        .containsPattern("MigrationStarted\\s+5")
        .containsPattern("past_migration\\s+1")
        .containsPattern("COMPLETED\\s+4")
        .containsPattern("FAILED\\s+1")
        .doesNotContain("latency");
  }
}
