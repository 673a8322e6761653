package dev.v2pledger.projector.runner;

import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The fencings in a row, bounded by {@code maxFencings} (DESIGN "Keys, versions and the projected
 * topic"): a commit ends a row, and so does a quiet period without a fencing. A live projector with
 * the same instance id fences this one again within one rejoin, so twins still stop each other;
 * fencings spread over days (transactions timed out in broker failovers) of a runner that rarely
 * commits, its partitions mostly idle, no longer add up to a stop.
 */
final class Fencings {
  /**
   * A fencing this long after the one before starts a new row (at least; see {@link #quietFor}).
   */
  static final Duration QUIET = Duration.ofMinutes(10);

  private final int max;
  private final long quietNanos;
  private final LongSupplier nanoTime;
  private int inARow;
  private long lastAt;

  /** {@code quiet}: a fencing this long after the one before starts a new row. */
  Fencings(int max, Duration quiet, LongSupplier nanoTime) {
    this.max = max;
    this.quietNanos = quiet.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * The quiet period for these client settings: {@link #QUIET}, or twice {@code
   * max.poll.interval.ms} if longer. A twin fences again within one rejoin, and a rejoin's restore
   * runs in the poll that assigns the partitions, so it takes up to {@code max.poll.interval.ms}
   * (which an operator raises for a large changelog): a fixed 10 minutes would let twins whose
   * restores take longer fence each other forever without stopping.
   */
  static Duration quietFor(Map<String, Object> kafka) {
    Object interval = kafka.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG);
    long ms = 300_000; // Kafka's default
    if (interval != null) {
      try {
        ms = Long.parseLong(interval.toString().strip());
      } catch (NumberFormatException e) {
        // the consumer refuses it at its start
      }
    }
    Duration twice = Duration.ofMillis(ms).multipliedBy(2);
    return twice.compareTo(QUIET) > 0 ? twice : QUIET;
  }

  /** A commit went through: the row ends. */
  void committed() {
    inARow = 0;
  }

  /** Counts a fencing; returns how many in a row, this one included. */
  int fenced() {
    long now = nanoTime.getAsLong();
    if (inARow > 0 && now - lastAt >= quietNanos) {
      inARow = 0;
    }
    lastAt = now;
    return ++inARow;
  }

  /** Whether this row is one fencing more than the runner rejoins after. */
  boolean exhausted() {
    return inARow > max;
  }
}
