package dev.v2pledger.runtime.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.Supplier;

/**
 * A clock in UTC whose instants a subclass, or a supplier, gives: the one shape of every clock
 * v2p-ledger makes (devstack's wall time that never goes back, the clocks tests move by hand). Its
 * zone never changes: {@link #withZone} gives the same clock, as the components read instants only.
 */
public abstract class UtcClock extends Clock {
  /** A clock whose instants {@code now} gives, each time one is asked for. */
  public static UtcClock of(Supplier<Instant> now) {
    return new UtcClock() {
      @Override
      public Instant instant() {
        return now.get();
      }
    };
  }

  @Override
  public final ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public final Clock withZone(ZoneId zone) {
    return this;
  }
}
