package dev.v2pledger.schema.jsonl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the hardening module's fuzzing found the reader doing with hostile lines: field names and
 * values with control characters or line separators went raw into messages (a JSON escape makes a
 * real newline), a long string value was quoted whole, a huge line was read into memory before
 * being refused, and bytes that are not UTF-8 escaped as an {@code UncheckedIOException}.
 */
class HostileLinesTest {
  private static final String DELETED =
      "{\"type\":\"InstanceDeleted\",\"instance_id\":\"8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6\"";

  @Test
  void fieldNamesAndValuesWithControlsOrLineSeparatorsStayOnOneLine() {
    assertThatThrownBy(() -> JsonlReader.parseLine(DELETED + ",\"a\\nb\\u2028c\":1}", 4))
        .isInstanceOf(JsonlException.class)
        .hasMessage("line 4: field 'a?b?c': is not a field of InstanceDeleted");
    assertThatThrownBy(
            () ->
                JsonlReader.parseLine(
                    DELETED + ",\"position\":{\"partition\":\"\\u001b[2J\\n\"}}", 5))
        .hasMessage("line 5: field 'position.partition': '\"?[2J?\"' is not an integer");
    assertThatThrownBy(() -> JsonlReader.parseLine("S\u0085\u009b", 6))
        .hasMessageStartingWith("line 6: not valid JSON: Unrecognized token 'S??'");
  }

  @Test
  void aLongValueIsQuotedShort() {
    String line = DELETED + ",\"position\":{\"partition\":\"" + "x".repeat(10_000) + "\"}}";

    assertThatThrownBy(() -> JsonlReader.parseLine(line, 1))
        .hasMessage(
            "line 1: field 'position.partition': '\""
                + "x".repeat(64)
                + "...\"' is not an integer");
  }

  @Test
  void aHugeLineIsRefusedAndTheLinesBeforeItAreDelivered() throws Exception {
    String valid = DELETED + "}";
    Reader text =
        new StringReader(valid + "\n" + valid + "\r\n" + "y".repeat(3 << 20) + "\n" + valid);
    List<JsonlEvent> read = new ArrayList<>();
    try (JsonlReader reader = new JsonlReader(text)) {
      assertThatThrownBy(() -> reader.forEachRemaining(read::add))
          .isInstanceOf(JsonlException.class)
          .hasMessage("line 3: line is longer than 1048576 characters");
    }
    assertThat(read).extracting(JsonlEvent::line).containsExactly(1L, 2L);
  }

  @Test
  void bytesThatAreNotUtf8AreALineError(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("events.jsonl");
    byte[] bad = (DELETED + ",\"source\":\"x\"}\n" + DELETED + ",\"source\":\"?\"}\n").getBytes();
    bad[bad.length - 4] = (byte) 0xff;
    Files.write(file, bad);

    assertThatThrownBy(() -> JsonlReader.readAll(file))
        .isInstanceOf(JsonlException.class)
        .hasMessage("line 2: not UTF-8 text");
  }

  @Test
  void lineReaderSplitsAtLineFeedsOnlyAndCutsLongLines() throws Exception {
    assertThat(lines("a\nb\r\nc\rd", 10)).containsExactly("a", "b", "c\rd");
    assertThat(lines("\n\r\n\r", 10)).containsExactly("", "", "");
    assertThat(lines("a\r\r\nb\rc\r", 10)).containsExactly("a\r", "b\rc");
    assertThat(lines("abcdef\nxy\n", 3)).containsExactly("abcd", "xy");
    char[] crAtTheEndOfABuffer = new char[(1 << 16) + 1];
    Arrays.fill(crAtTheEndOfABuffer, 'z');
    crAtTheEndOfABuffer[(1 << 16) - 1] = '\r';
    crAtTheEndOfABuffer[1 << 16] = '\n';
    assertThat(lines(new String(crAtTheEndOfABuffer) + "q", 1 << 17))
        .extracting(String::length)
        .containsExactly((1 << 16) - 1, 1);
  }

  @Test
  void utf8LinesAreDecodedOneByOne() throws Exception {
    byte[] text = "\u00e9\r\nx\ny".getBytes(StandardCharsets.UTF_8);
    byte[] malformed = {'o', 'k', '\n', (byte) 0xc3, '\n'};

    assertThat(lines(LineReader.utf8(new ByteArrayInputStream(text), 10)))
        .containsExactly("\u00e9", "x", "y");
    assertThat(
            lines(LineReader.utf8(new ByteArrayInputStream("a\r\r\nb\rc\r".getBytes(UTF_8)), 10)))
        .containsExactly("a\r", "b\rc");
    try (LineReader reader = LineReader.utf8(new ByteArrayInputStream(malformed), 10)) {
      assertThat(reader.readLine()).isEqualTo("ok");
      assertThatThrownBy(reader::readLine).isInstanceOf(CharacterCodingException.class);
    }
    assertThat(lines(LineReader.utf8(new ByteArrayInputStream(new byte[40]), 3)))
        .singleElement()
        .satisfies(line -> assertThat(line).hasSizeGreaterThan(3));
  }

  private static List<String> lines(String text, int limit) throws Exception {
    return lines(LineReader.of(new StringReader(text), limit));
  }

  private static List<String> lines(LineReader reader) throws Exception {
    List<String> out = new ArrayList<>();
    try (reader) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        out.add(line);
      }
    }
    return out;
  }
}
