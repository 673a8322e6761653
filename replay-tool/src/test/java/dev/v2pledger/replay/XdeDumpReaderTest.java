package dev.v2pledger.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.replay.report.Verification;
import dev.v2pledger.runtime.cli.UsageException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reader of {@code xde dump --json} files is strict: what the hardening module's fuzzing found
 * it accepting (a VNI given as text, a VNI above 32 bits silently truncated to another VNI, a
 * missing VNI reported as "VNI -1") or printing raw (a parser message with control characters).
 */
class XdeDumpReaderTest {
  private static final String ENTRY =
      "{\"vni\":%s,\"ip\":\"172.30.0.5\",\"mac\":\"a8:40:25:00:00:02\",\"underlay_ip\":\"fd00::1\"}";

  @TempDir Path dir;

  @Test
  void theDumpFormatIsRead() throws Exception {
    assertThat(Verification.readXdeDump(write("[" + ENTRY.formatted("7777") + "]")))
        .singleElement()
        .hasToString("mac a8:40:25:00:00:02 underlay fd00::1");
  }

  /** XDE holds one entry per (vni, ip): a dump with two is not one of its tables. */
  @Test
  void aSecondEntryForOneVipIsRefused() throws Exception {
    Path dump = write("[" + ENTRY.formatted("7777") + "," + ENTRY.formatted("7777") + "]");

    assertThatThrownBy(() -> Verification.readXdeDump(dump))
        .isInstanceOf(UsageException.class)
        .hasMessageEndingWith("entry 1: a second entry for 7777/172.30.0.5 (first: 0)");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"7777\"    | entry 0: field 'vni': \"7777\" is not a VNI (0..16777215)",
        "4294974073 | entry 0: field 'vni': 4294974073 is not a VNI (0..16777215)",
        "7777.0     | entry 0: field 'vni': 7777.0 is not a VNI (0..16777215)",
        "true       | entry 0: field 'vni': true is not a VNI (0..16777215)",
        "null       | entry 0: field 'vni': null is not a VNI (0..16777215)",
        "16777216   | entry 0: field 'vni': VNI 16777216 is out of range 0..16777215",
      })
  void aVniThatIsNotASmallIntegerIsRefusedNamingTheField(String vni, String message)
      throws Exception {
    Path file = write("[" + ENTRY.formatted(vni) + "]");

    assertThatThrownBy(() -> Verification.readXdeDump(file))
        .isInstanceOf(UsageException.class)
        .hasMessage("--xde-dump " + file + ": " + message);
  }

  @Test
  void missingAndUnknownFieldsAndNonObjectsAreRefused() throws Exception {
    Path missing = write("[{\"vni\":1,\"ip\":\"10.0.0.1\",\"mac\":\"a8:40:25:00:00:02\"}]");
    Path unknown = write("[" + ENTRY.formatted("1").replace("{", "{\"sled\":1,") + "]");
    Path number = write("[7]");

    assertThatThrownBy(() -> Verification.readXdeDump(missing))
        .hasMessageEndingWith("entry 0: field 'underlay_ip': is missing");
    assertThatThrownBy(() -> Verification.readXdeDump(unknown))
        .hasMessageEndingWith("entry 0: field 'sled' is not one of [vni, ip, mac, underlay_ip]");
    assertThatThrownBy(() -> Verification.readXdeDump(number))
        .hasMessageEndingWith("entry 0: not an object {vni, ip, mac, underlay_ip}");
  }

  @Test
  void contentAfterTheArrayIsRefused() throws Exception {
    Path trailing = write("[" + ENTRY.formatted("1") + "]\n{\"vni\":2}");

    assertThatThrownBy(() -> Verification.readXdeDump(trailing))
        .hasMessageContaining(": not JSON: Trailing token");
  }

  @Test
  void parserMessagesAndBytesThatAreNotUtf8StayOnOneLine() throws Exception {
    Path token = write("[S\u0085\u009b2J]");
    Path binary = dir.resolve("binary.json");
    Files.write(binary, new byte[] {'[', (byte) 0xff, (byte) 0xfe, ']'});

    assertThatThrownBy(() -> Verification.readXdeDump(token))
        .hasMessageContaining("not JSON: Unrecognized token 'S??2J'");
    assertThatThrownBy(() -> Verification.readXdeDump(binary))
        .hasMessage("--xde-dump " + binary + ": not UTF-8 text");
    assertThatThrownBy(() -> Verification.readXdeDump(dir))
        .hasMessage("--xde-dump " + dir + ": cannot read it: Is a directory");
  }

  private Path write(String text) throws Exception {
    Path file = Files.createTempFile(dir, "dump", ".json");
    Files.writeString(file, text);
    return file;
  }
}
