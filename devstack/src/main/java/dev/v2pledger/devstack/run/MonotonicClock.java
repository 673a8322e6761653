package dev.v2pledger.devstack.run;

import dev.v2pledger.runtime.time.UtcClock;
import java.time.Duration;
import java.time.Instant;

/**
 * Wall time that never goes back: anchored at the system clock once, then advanced by {@link
 * System#nanoTime()}. The simulated devices stamp their mutations and the run stamps the truth with
 * it, so exposure compares instants of one clock, at nanosecond resolution.
 */
public final class MonotonicClock extends UtcClock {
  private final Instant base = Instant.now();
  private final long baseNanos = System.nanoTime();

  @Override
  public Instant instant() {
    return base.plusNanos(System.nanoTime() - baseNanos);
  }

  /**
   * How far the system clock is ahead of this one now (behind: negative): its drift since the
   * anchor, or a step (the clock set, or the machine paused and the clock put right after).
   */
  public Duration wallAhead() {
    return Duration.between(instant(), Instant.now());
  }
}
