package dev.v2pledger.hardening.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.replay.source.JsonlEventSource;
import dev.v2pledger.replay.source.StopPoint;
import dev.v2pledger.runtime.cli.UsageException;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.jsonl.JsonlEvent;
import dev.v2pledger.schema.jsonl.JsonlException;
import dev.v2pledger.schema.jsonl.JsonlReader;
import dev.v2pledger.schema.jsonl.JsonlWriter;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and mutated JSON lines into the JSON-lines reader: every line is an event or a {@link
 * JsonlException} whose one-line message starts with its line number, within a deadline and a
 * memory allowance; a file with bad lines among good ones stops at the first bad line, with its
 * number, after delivering every valid line before it (through {@link JsonlReader} and through the
 * replay tool's parallel {@link JsonlEventSource}).
 */
class JsonlFuzzTest {
  private static final int ITERATIONS = FuzzSettings.iterations(1500) * 4;

  @RegisterExtension static final Fuzzing FUZZ = new Fuzzing("JsonlFuzzTest");

  @TempDir Path directory;

  @Test
  void everyLineIsAnEventOrOneErrorNamingItsLine() {
    Random random = new Random(FUZZ.seed());
    JsonLines lines = new JsonLines(random);
    List<String> failures = new ArrayList<>();
    int events = 0;
    for (int i = 0; i < ITERATIONS && failures.size() < 8; i++) {
      String line = i % 10 == 0 ? lines.mutator.garbage() : lines.mutator.mutate(lines.valid());
      long number = 1 + random.nextInt(1_000_000);
      Guard.Outcome outcome;
      try {
        outcome = FUZZ.guard().call(() -> parseAndFold(line, number));
      } catch (Guard.Hang hang) {
        failures.add("hang on: " + line);
        continue;
      }
      String problem = judge(outcome, number, line.length());
      if (problem != null) {
        failures.add(problem + "\n      line: " + Text.abbreviated(line));
      } else if (outcome.error() == null) {
        events++;
      }
    }
    System.out.printf("JSON lines: %d lines, %d were events%n", ITERATIONS, events);
    assertThat(failures)
        .as("seed %d (replay with -Dv2p.seed=%d)", FUZZ.seed(), FUZZ.seed())
        .isEmpty();
  }

  @Test
  void aFileStopsAtItsFirstBadLineAfterDeliveringEveryValidLineBeforeIt() {
    Random random = new Random(FUZZ.seed() + 1);
    JsonLines lines = new JsonLines(random);
    for (int round = 0; round < 40; round++) {
      JsonLines.File file = lines.file(20 + random.nextInt(400), 0.03);
      List<InstanceEvent> read = new ArrayList<>();
      Throwable error;
      try (JsonlReader reader = new JsonlReader(new StringReader(file.text()))) {
        error = catchThrowable(() -> reader.forEachRemaining(line -> read.add(line.event())));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      String context =
          "seed " + FUZZ.seed() + " (replay with -Dv2p.seed=" + FUZZ.seed() + "), round " + round;
      assertThat(read).as(context).isEqualTo(file.validBeforeFirstBad());
      if (file.firstBad() < 0) {
        assertThat(error).as(context).isNull();
      } else {
        assertThat(error)
            .as(context)
            .isInstanceOf(JsonlException.class)
            .hasMessageStartingWith("line " + file.firstBad() + ": ");
      }
    }
  }

  @Test
  void theReplayToolsParallelReaderAlsoStopsAtTheFirstBadLine() throws Exception {
    Random random = new Random(FUZZ.seed() + 2);
    JsonLines lines = new JsonLines(random);
    for (int round = 0; round < 4; round++) {
      JsonLines.File file = lines.file(3000 + random.nextInt(6000), 0.0004);
      Path path = directory.resolve("events-" + round + ".jsonl");
      Files.writeString(path, file.text());
      List<InstanceEvent> read = new ArrayList<>();
      Throwable error;
      try (JsonlEventSource source = new JsonlEventSource(path, StopPoint.NONE, 2)) {
        error = catchThrowable(() -> source.forEach(event -> read.add(event.event())));
      }
      String context =
          "seed " + FUZZ.seed() + " (replay with -Dv2p.seed=" + FUZZ.seed() + "), round " + round;
      assertThat(read).as(context).isEqualTo(file.validBeforeFirstBad());
      if (file.firstBad() >= 0) {
        assertThat(error)
            .as(context)
            .isInstanceOf(UsageException.class)
            .hasMessageStartingWith(path + ": line " + file.firstBad() + ": ");
      }
    }
  }

  @Test
  void aLineLongerThanTheLimitIsRefusedWithoutReadingItIntoMemory() {
    long length = 64L << 20;
    Guard.Outcome outcome =
        FUZZ.guard()
            .call(
                () -> {
                  try (JsonlReader reader = new JsonlReader(new RepeatingReader('{', length))) {
                    return reader.next();
                  }
                });

    assertThat(outcome.error())
        .isInstanceOf(JsonlException.class)
        .hasMessage("line 1: line is longer than 1048576 characters");
    assertThat(outcome.allocated()).as("bytes allocated").isLessThan(32L << 20);
  }

  private static Object parseAndFold(String line, long number) {
    JsonlEvent event = JsonlReader.parseLine(line, number);
    Fold.apply(InstanceState.empty(event.event().instanceId()), event.event());
    return event;
  }

  private static String judge(Guard.Outcome outcome, long number, int length) {
    long allowance = FuzzSettings.ALLOCATION_BASE + FuzzSettings.ALLOCATION_PER_INPUT_BYTE * length;
    if (outcome.allocated() > allowance) {
      return "allocated " + outcome.allocated() + " bytes";
    }
    Throwable error = outcome.error();
    if (error == null) {
      return null;
    }
    if (!(error instanceof JsonlException)) {
      return "threw "
          + error
          + " at "
          + (error.getStackTrace().length > 0 ? error.getStackTrace()[0] : "?");
    }
    String message = error.getMessage();
    if (!message.startsWith("line " + number + ": ")) {
      return "message does not start with its line number: " + message;
    }
    if (!Text.isOneLine(message) || message.length() > FuzzSettings.MAX_MESSAGE_CHARS) {
      return "message not one short line: " + Text.abbreviated(message);
    }
    return null;
  }

  /** Positions, for lines that carry one (exports do). */
  static EventPosition position(Random random) {
    return new EventPosition(
        random.nextInt(12), random.nextInt(1 << 20), Instant.ofEpochMilli(random.nextInt()));
  }

  /** A line of the canonical form, for seeds. */
  static String line(InstanceEvent event, Random random) {
    return JsonlWriter.toLine(event, random.nextBoolean() ? position(random) : null);
  }
}
