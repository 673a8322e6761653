package dev.v2pledger.devstack.stack;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * The sum of the counters of one name (and tags) in devstack's registry, a composite. A composite
 * counter answers its first registry's count, which may be one that filters the meter out (the
 * stage timers' window, while it is attached) and so reads 0; this takes the largest of its
 * registries' sums instead.
 */
public final class CounterSum {
  private CounterSum() {}

  /** The counters named {@code name} with {@code tags} (key, value, ...), summed. */
  public static double of(MeterRegistry registry, String name, String... tags) {
    if (registry instanceof CompositeMeterRegistry composite) {
      double most = 0;
      for (MeterRegistry child : composite.getRegistries()) {
        most = Math.max(most, of(child, name, tags));
      }
      return most;
    }
    double sum = 0;
    for (Counter counter : registry.find(name).tags(tags).counters()) {
      sum += counter.count();
    }
    return sum;
  }
}
