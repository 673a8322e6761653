package dev.v2pledger.projector.runner;

import dev.v2pledger.runtime.kafka.KafkaErrors;
import dev.v2pledger.schema.codec.RecordDecodeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The run of failed attempts in a row, bounded by {@code --max-retries}, and the pause after each
 * (projector README "Fencing"). A run ends once commits since its last failure (even one in the
 * step that failed later) have moved each partition that failure had read past its committed
 * position (the events an abort rewinds) past that position, or, when it had read nothing, with any
 * commit; or once the runner is settled ({@link Session#settled}). Not with any step that goes
 * through: one that only processes rewound events again leaves them open, and committing them may
 * fail as before. Nor with a commit of other partitions (DESIGN "Keys, versions and the projected
 * topic"): a poll after a rewind may return only a healthy partition's events, and the time box
 * commits them between two failures of a poison partition.
 */
final class FailedAttempts {
  private final ProjectorConfig config;
  private int inARow;

  /** This runner's commits, in every session; and their count at the last failure. */
  private long commits;

  private long commitsAtFailure;

  /** The partitions the last failure had read past their committed positions, at those. */
  private Map<Integer, Long> failedAt = Map.of();

  FailedAttempts(ProjectorConfig config) {
    this.config = config;
  }

  /**
   * Why an attempt failed, in one line: the innermost cause's message, or, for a record that could
   * not be decoded for now (a changelog state while the registry cannot be read), that record's
   * message, which names it and the registry before the cause.
   */
  static String why(Throwable error) {
    RecordDecodeException decode = KafkaErrors.cause(error, RecordDecodeException.class);
    return decode != null && decode.getMessage() != null
        ? String.join("; ", decode.getMessage().lines().toList())
        : KafkaErrors.rootMessage(error);
  }

  /** {@code count} more commits went through. */
  void committed(long count) {
    commits += count;
  }

  /** Whether the run is open: a failure, and no commit or settled state since. */
  boolean any() {
    return inARow > 0;
  }

  /** The runner stands settled: nothing is left to redo, the run ends. */
  void settled() {
    inARow = 0;
  }

  /**
   * Counts a failed attempt; returns how many in a row, this one included.
   *
   * @param committed per partition held, the offset its last commit resumes at
   * @param read the partitions of {@code committed} the attempt had read past that offset
   */
  int failed(Map<Integer, Long> committed, Set<Integer> read) {
    if (commits > commitsAtFailure && movedPast(committed)) {
      inARow = 0;
    }
    commitsAtFailure = commits;
    Map<Integer, Long> at = new HashMap<>();
    read.forEach(partition -> at.put(partition, committed.get(partition)));
    failedAt = at;
    return ++inARow;
  }

  /** Whether each partition of the last failure is now committed past where it stood then. */
  private boolean movedPast(Map<Integer, Long> committed) {
    return failedAt.entrySet().stream()
        .allMatch(failed -> committed.getOrDefault(failed.getKey(), -1L) > failed.getValue());
  }

  /** Whether {@code --max-retries} is spent. */
  boolean exhausted() {
    return inARow > config.maxRetries();
  }

  /** The pause after failure {@code attempt} of a run: doubling from the first, up to the most. */
  Duration backoff(int attempt) {
    long first = config.retryBackoff().toMillis();
    int doublings = Math.min(attempt - 1, 20);
    long millis = first > Long.MAX_VALUE >> doublings ? Long.MAX_VALUE : first << doublings;
    return Duration.ofMillis(Math.min(millis, config.maxRetryBackoff().toMillis()));
  }
}
