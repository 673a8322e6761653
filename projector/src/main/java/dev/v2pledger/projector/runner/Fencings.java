package dev.v2pledger.projector.runner;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The fencings in a row, bounded by {@code maxFencings} (DESIGN "Keys, versions and the projected
 * topic"): a commit ends a row, and so does a quiet period without a fencing. A live projector with
 * the same instance id fences this one again within one rejoin, so twins still stop each other;
 * fencings spread over days (transactions timed out in broker failovers) of a runner that rarely
 * commits, its partitions mostly idle, no longer add up to a stop.
 */
final class Fencings {
  /** A fencing this long after the one before starts a new row. */
  static final Duration QUIET = Duration.ofMinutes(10);

  private final int max;
  private final LongSupplier nanoTime;
  private int inARow;
  private long lastAt;

  Fencings(int max, LongSupplier nanoTime) {
    this.max = max;
    this.nanoTime = nanoTime;
  }

  /** A commit went through: the row ends. */
  void committed() {
    inARow = 0;
  }

  /** Counts a fencing; returns how many in a row, this one included. */
  int fenced() {
    long now = nanoTime.getAsLong();
    if (inARow > 0 && now - lastAt >= QUIET.toNanos()) {
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
