package dev.v2pledger.replay.source;

import dev.v2pledger.runtime.cli.UsageException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Refuses a file whose log positions go backwards or repeat within a partition (exports
 * concatenated or re-sorted): the projector folded each partition in offset order, and a replay in
 * file order would answer otherwise, without a word. Not thread-safe.
 */
final class PartitionOrder {
  private final Path file;

  /** The last position of each partition: its line and offset. */
  private final Map<Integer, long[]> last = new HashMap<>();

  PartitionOrder(Path file) {
    this.file = file;
  }

  /**
   * Checks an event's position against the one before it in its partition.
   *
   * @throws UsageException (exit 2) naming both lines and positions when it is not after it
   */
  void check(Position position) {
    if (position.kafka() == null) {
      return;
    }
    int partition = position.kafka().partition();
    long offset = position.kafka().offset();
    long[] before = last.put(partition, new long[] {position.line(), offset});
    if (before != null && offset <= before[1]) {
      throw new UsageException(
          String.format(
              "%s: line %d (%d:%d) is not after line %d (%d:%d) in partition %d: a file must keep"
                  + " each partition's events in offset order, as the projector folded them (a"
                  + " concatenated or re-sorted export?)",
              file,
              position.line(),
              partition,
              offset,
              before[0],
              partition,
              before[1],
              partition));
    }
  }
}
