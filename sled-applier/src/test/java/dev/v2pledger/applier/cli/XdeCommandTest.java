package dev.v2pledger.applier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code xde} commands against the stand-in kernel library, in-process. */
class XdeCommandTest extends XdeCliTest {
  @Test
  void setThenDumpAsJsonSortedByVniThenIp_optionsBeforeOrAfterTheVerb() {
    assertThat(set("7777", "FD77::5", "A8:40:25:F1:6E:6F", "fd00:1122:3344:101::1").exit())
        .isZero();
    assertThat(
            CliRun.of(
                    "xde",
                    "set",
                    "--xde-library",
                    lib,
                    "--vni",
                    "7777",
                    "--ip",
                    "172.30.0.9",
                    "--mac",
                    "a8:40:25:00:00:02",
                    "--underlay",
                    "fd00:1122:3344:102::1")
                .exit())
        .isZero();
    set("42", "10.0.0.1", "a8:40:25:00:00:03", "fd00::3");

    CliRun dump = CliRun.of("xde", "dump", "--json", "--xde-library", lib);

    assertThat(dump.exit()).isZero();
    assertThat(dump.out())
        .isEqualTo(
            "[\n"
                + "  {\"vni\":42,\"ip\":\"10.0.0.1\",\"mac\":\"a8:40:25:00:00:03\",\"underlay_ip\":\"fd00::3\"},\n"
                + "  {\"vni\":7777,\"ip\":\"172.30.0.9\",\"mac\":\"a8:40:25:00:00:02\",\"underlay_ip\":\"fd00:1122:3344:102::1\"},\n"
                + "  {\"vni\":7777,\"ip\":\"fd77::5\",\"mac\":\"a8:40:25:f1:6e:6f\",\"underlay_ip\":\"fd00:1122:3344:101::1\"}\n"
                + "]\n");
  }

  @Test
  void clearRemovesByVniAndIpAndTextDumpHasAHeader() {
    set("7777", "172.30.0.5", "a8:40:25:f1:6e:6f", "fd00::1");
    assertThat(xde("clear", "--vni", "7777", "--ip", "172.30.0.5").exit()).isZero();

    CliRun dump = xde("dump");
    assertThat(dump.out().strip()).startsWith("VNI").doesNotContain("172.30.0.5");
    assertThat(xde("dump", "--json").out()).isEqualTo("[]\n");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--vni|abc|VNI 'abc' is not a number",
        "--vni|16777216|VNI 16777216 is out of range",
        "--ip|300.1.1.1|'300.1.1.1' is not an IPv4 or IPv6 address",
        "--mac|a8:40:25:f1:6e|MAC address 'a8:40:25:f1:6e' is not of the form",
        "--underlay|10.0.0.1|'10.0.0.1' is not an IPv6 address"
      })
  void badValuesExitTwoWithOneLineNamingTheValue(String option, String value, String message) {
    CliRun run = set("7777", "172.30.0.5", "a8:40:25:f1:6e:6f", "fd00::1", option, value);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.errLine()).contains(option).contains(message);
    assertThat(kernel.ioctlCalls()).isZero();
  }

  @Test
  void missingOptionOrVerbIsAUsageError() {
    CliRun noIp = CliRun.of("xde", "clear", "--vni", "7");
    assertThat(noIp.exit()).isEqualTo(2);
    assertThat(noIp.errLine()).contains("--ip");
    CliRun noVerb = CliRun.of("xde");
    assertThat(noVerb.exit()).isEqualTo(2);
    assertThat(noVerb.errLine()).contains("set, clear, dump, ports or clear-uft");
  }

  @Test
  void deviceErrorsExitOneWithTheDecodedMessage() {
    kernel.setKernelApiVersion(40);
    CliRun run = xde("clear", "--vni", "7777", "--ip", "172.30.0.5");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.errLine())
        .isEqualTo("clear: ClearVirt2Phys: XDE speaks API version 40, this build speaks 41");

    CliRun noDevice = CliRun.of("xde", "--xde-library", lib, "--xde-device", "/dev/none", "dump");
    assertThat(noDevice.exit()).isEqualTo(1);
    assertThat(noDevice.errLine()).isEqualTo("dump: no XDE driver: cannot open /dev/none (ENOENT)");
  }

  /** {@code LIB} stands for the stand-in library; the device opened is the one the error names. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "xde --xde-library LIB --xde-device /dev/a dump                    | /dev/a",
        "xde dump --xde-library LIB --xde-device /dev/a                    | /dev/a",
        "xde --xde-device /dev/a dump --xde-library LIB                    | /dev/a",
        "xde --xde-device /dev/a --xde-library LIB dump --xde-device /dev/b | /dev/b"
      })
  void deviceOptionsStandBeforeOrAfterTheVerbAndTheLastOneWins(String args, String opened) {
    String[] argv = args.replace("LIB", lib).split(" +");
    CliRun run = CliRun.of(argv);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.errLine()).isEqualTo("dump: no XDE driver: cannot open " + opened + " (ENOENT)");
  }

  @Test
  void anEmptyDevicePathOrAMissingValueIsAUsageError() {
    CliRun empty = CliRun.of("xde", "--xde-library", lib, "dump", "--xde-device", " ");
    assertThat(empty.exit()).isEqualTo(2);
    assertThat(empty.errLine()).contains("XDE device path is empty");

    assertThat(CliRun.of("xde", "--xde-library", lib, "dump", "--xde-device").exit()).isEqualTo(2);
  }

  @Test
  void aDirectoryForTheDeviceIsNamedByItsErrno(@TempDir Path dir) {
    CliRun run = CliRun.of("xde", "--xde-device", dir.toString(), "dump");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.errLine()).isEqualTo("dump: cannot open " + dir + ": EISDIR");
  }

  @Test
  void theRealCLibraryOnAMachineWithoutXdeSaysSo() {
    CliRun run = CliRun.of("xde", "--xde-device", "/dev/xde-does-not-exist", "dump");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.errLine())
        .isEqualTo("dump: no XDE driver: cannot open /dev/xde-does-not-exist (ENOENT)");
  }

  @ParameterizedTest
  @CsvSource({
    "--help",
    "xde --help",
    "xde set --help",
    "xde clear --help",
    "xde dump --help",
    "xde ports --help",
    "xde clear-uft --help",
    "run --help"
  })
  void helpEverywhere(String args) {
    CliRun run = CliRun.of(args.split(" "));
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("Usage:");
  }
}
