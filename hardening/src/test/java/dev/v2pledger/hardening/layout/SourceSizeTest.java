package dev.v2pledger.hardening.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No main source file of any module is over 400 lines (issue 13): a file that grows past it mixes
 * concerns, and is split by concern, not by cutting comments.
 */
class SourceSizeTest {
  private static final int MOST = 400;

  @Test
  void noMainSourceFileIsOver400Lines() throws IOException {
    Path root = Path.of("..").toRealPath(); // the build runs each module in its own directory
    List<Path> sources;
    try (Stream<Path> files = Files.walk(root)) {
      sources =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> root.relativize(p).toString().contains("/src/main/java/"))
              .filter(p -> !root.relativize(p).toString().contains("/target/"))
              .toList();
    }
    assertThat(sources).as("main sources under %s", root).hasSizeGreaterThan(100);

    assertThat(sources)
        .filteredOn(p -> lines(p) > MOST)
        .as("main source files over %d lines", MOST)
        .isEmpty();
  }

  private static long lines(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
