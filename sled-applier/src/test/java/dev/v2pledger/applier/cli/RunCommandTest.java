package dev.v2pledger.applier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code run}'s option checking: no broker needed, nothing starts. */
class RunCommandTest {
  static final String SLED = "51ed0000-0000-4000-8000-000000000001";

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--sled-id|not-a-uuid|sled id 'not-a-uuid'",
        "--reconcile-interval|5x|'5x' is not a duration",
        "--exclude-vni|100,abc|VNI 'abc' is not a number",
        "--exclude-vni|,|VNI ',' is not a number",
        "--exclude-vni|100,|VNI '100,' is not a number",
        "--xde|bogus|--xde",
        "--sim-underlay|10.0.0.1|'10.0.0.1' is not an IPv6 address"
      })
  void badValuesExitTwoWithOneLine(String option, String value, String message) {
    CliRun run =
        CliRun.of(
            "run",
            "--sled-id",
            SLED,
            "--bootstrap-servers",
            "127.0.0.1:1",
            "--xde",
            "sim",
            option,
            value);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.errLine()).contains(message);
  }

  @ParameterizedTest
  @CsvSource({"--admin-port,70000", "--reconcile-interval,0s"})
  void outOfRangeValuesExitTwo(String option, String value) {
    CliRun run =
        CliRun.of("run", "--sled-id", SLED, "--bootstrap-servers", "127.0.0.1:1", option, value);
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.errLine()).contains(option);
  }

  @Test
  void withoutBootstrapServersSaysHowToGiveThem() {
    CliRun run = CliRun.of("run", "--sled-id", SLED, "--xde", "sim");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.errLine()).contains("no Kafka bootstrap servers");
  }

  @Test
  void anOptionOfTheOtherDeviceIsRefused_notIgnored() {
    CliRun sim = withDevice("sim", "--xde-library", "/nonexistent.so");
    CliRun device = withDevice("device", "--sim-underlay", "fd00::2");

    assertThat(sim.exit()).isEqualTo(2);
    assertThat(sim.errLine()).isEqualTo("run: --xde-library does nothing with --xde sim");
    assertThat(device.exit()).isEqualTo(2);
    assertThat(device.errLine()).isEqualTo("run: --sim-underlay does nothing with --xde device");
  }

  /**
   * A config file that cannot be read, or has a mistyped key, is what an operator must hear of, not
   * the required option it was to give.
   */
  @Test
  void aBadConfigFileIsNamed_notTheOptionItWasToGive(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("applier.properties");
    Path typo =
        Files.writeString(
            dir.resolve("typo.properties"), "sled_id=51ed0000-0000-4000-8000-000000000001\n");

    CliRun unread = CliRun.of("run", "--config", missing.toString(), "--xde", "sim");
    CliRun mistyped = CliRun.of("run", "--config", typo.toString(), "--xde", "sim");

    assertThat(unread.exit()).isEqualTo(2);
    assertThat(unread.errLine())
        .isEqualTo("run: cannot read --config " + missing + ": no such file");
    assertThat(mistyped.exit()).isEqualTo(2);
    assertThat(mistyped.errLine()).contains("'sled_id' is not a setting of sled-applier run");
  }

  /** {@code run} of a sled with {@code --xde kind} and one more option typed. */
  private static CliRun withDevice(String kind, String option, String value) {
    return CliRun.of(
        "run",
        "--sled-id=51ed0000-0000-4000-8000-000000000001",
        "--bootstrap-servers=127.0.0.1:1",
        "--xde=" + kind,
        option,
        value);
  }

  @Test
  void valuesComeFromTheEnvironmentToo() {
    CliRun run = CliRun.withEnv(Map.of("V2P_SLED_ID", "nope"), "run", "--xde", "sim");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.errLine()).contains("sled id 'nope'");
  }
}
