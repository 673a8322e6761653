package dev.v2pledger.hardening.fuzz;

import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.jsonl.JsonlException;
import dev.v2pledger.schema.jsonl.JsonlReader;
import dev.v2pledger.schema.jsonl.JsonlWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Valid and invalid JSON lines, and files mixing them with blank lines. */
final class JsonLines {
  final JsonLineMutator mutator;
  private final Random random;
  private final Samples samples;

  /**
   * A file's text and what a reader must make of it.
   *
   * @param firstBad the number of the first bad line, or -1
   * @param validBeforeFirstBad the events of every valid line before it, in order
   */
  record File(String text, long firstBad, List<InstanceEvent> validBeforeFirstBad) {}

  JsonLines(Random random) {
    this.random = random;
    this.samples = new Samples(random);
    this.mutator = new JsonLineMutator(random);
  }

  /** The next offset of each partition in a file, so that its positions go forwards, as a log's. */
  private final Map<Integer, Long> nextOffset = new HashMap<>();

  String valid() {
    return JsonlFuzzTest.line(samples.event(), random);
  }

  /** A valid line whose position (if it has one) follows the file's earlier ones. */
  private String validInOrder() {
    if (random.nextBoolean()) {
      return JsonlWriter.toLine(samples.event(), null);
    }
    int partition = random.nextInt(12);
    long offset = nextOffset.merge(partition, 1L + random.nextInt(1000), Long::sum);
    return JsonlWriter.toLine(
        samples.event(),
        new EventPosition(partition, offset, Instant.ofEpochMilli(random.nextInt())));
  }

  /** A line the reader refuses: a mutation that does not parse, or garbage. */
  String bad() {
    for (int attempt = 0; attempt < 50; attempt++) {
      String line = random.nextInt(5) == 0 ? mutator.garbage() : mutator.mutate(valid());
      if (!JsonlReader.isBlank(line) && !parses(line)) {
        return line;
      }
    }
    return "{";
  }

  /** {@code lines} lines, each bad with probability {@code badRate}, some blank. */
  File file(int lines, double badRate) {
    nextOffset.clear();
    StringBuilder text = new StringBuilder();
    List<InstanceEvent> valid = new ArrayList<>();
    long firstBad = -1;
    for (int number = 1; number <= lines; number++) {
      double draw = random.nextDouble();
      String line;
      if (draw < badRate) {
        line = bad();
        firstBad = firstBad < 0 ? number : firstBad;
      } else if (draw < badRate + 0.02) {
        line = random.nextBoolean() ? "" : " \t ";
      } else {
        line = validInOrder(); // a replay refuses positions that go backwards in a partition
        if (firstBad < 0) {
          valid.add(JsonlReader.parseLine(line, number).event());
        }
      }
      text.append(line).append(random.nextInt(10) == 0 ? "\r\n" : "\n");
    }
    return new File(text.toString(), firstBad, valid);
  }

  private static boolean parses(String line) {
    try {
      JsonlReader.parseLine(line, 1);
      return true;
    } catch (JsonlException e) {
      return false;
    }
  }
}
