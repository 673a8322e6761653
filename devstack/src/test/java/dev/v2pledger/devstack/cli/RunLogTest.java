package dev.v2pledger.devstack.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.runtime.cli.Cli;
import dev.v2pledger.runtime.cli.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code V2P_LOG_FILE} is checked before anything starts: one usage line, not Log4j's errors. */
class RunLogTest {
  @TempDir Path directory;

  @Test
  void aDirectoryIsAUsageError() {
    assertThatThrownBy(() -> RunLog.writable(directory))
        .isInstanceOf(UsageException.class)
        .hasMessage("V2P_LOG_FILE: " + directory + " is a directory; name a file")
        .satisfies(e -> assertThat(((UsageException) e).exitCode()).isEqualTo(Cli.EXIT_USAGE));
  }

  @Test
  void aFileUnderAFileCannotBeCreated() throws IOException {
    Path file = Files.writeString(directory.resolve("plain"), "x");

    assertThatThrownBy(() -> RunLog.writable(file.resolve("run.log")))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "V2P_LOG_FILE: cannot create "
                + file.resolve("run.log")
                + ": "
                + file
                + " is not a directory");
    assertThatThrownBy(() -> RunLog.writable(file.resolve("deeper/run.log")))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("V2P_LOG_FILE: cannot ");
  }

  @Test
  void missingParentsAreCreated_andAnExistingFileIsFine() throws IOException {
    Path file = directory.resolve("a/b/run.log");

    RunLog.writable(file);
    RunLog.writable(file);

    assertThat(file).isRegularFile();
  }

  /** A refused command leaves no empty log behind; a log with lines, or one named, stays. */
  @Test
  void anEmptyLogThisProcessMadeIsDropped_aNamedOrWrittenOneStays() throws IOException {
    Path empty = Files.createFile(directory.resolve("empty.log"));
    Path written = Files.writeString(directory.resolve("written.log"), "a line\n");
    Path named = Files.createFile(directory.resolve("named.log"));

    RunLog.at(empty, false).dropIfEmpty();
    RunLog.at(written, false).dropIfEmpty();
    RunLog.at(named, true).dropIfEmpty();

    assertThat(empty).doesNotExist();
    assertThat(written).exists();
    assertThat(named).exists();
  }
}
