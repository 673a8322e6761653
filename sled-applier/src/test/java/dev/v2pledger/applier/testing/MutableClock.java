package dev.v2pledger.applier.testing;

import dev.v2pledger.runtime.time.UtcClock;
import java.time.Duration;
import java.time.Instant;

/** A clock that tests move by hand. Thread-safe. */
public final class MutableClock extends UtcClock {
  private volatile Instant now;

  public MutableClock(Instant start) {
    this.now = start;
  }

  public static MutableClock at(String instant) {
    return new MutableClock(Instant.parse(instant));
  }

  public void advance(Duration step) {
    now = now.plus(step);
  }

  @Override
  public Instant instant() {
    return now;
  }
}
