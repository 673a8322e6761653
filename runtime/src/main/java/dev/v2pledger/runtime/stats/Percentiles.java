package dev.v2pledger.runtime.stats;

import java.util.Arrays;

/**
 * p50/p90/p99/max of some latencies (by nearest rank), in the unit they were measured in: the one
 * summary the replay tool's {@code stats}, devstack's report and its probes all print. With no
 * samples ({@link #empty}) there are no percentiles: the zeros it holds then are not values, and
 * {@link #toString} says there were no samples.
 */
public record Percentiles(long count, long p50, long p90, long p99, long max) {
  public static Percentiles of(long[] values) {
    if (values.length == 0) {
      return new Percentiles(0, 0, 0, 0, 0);
    }
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return new Percentiles(
        sorted.length,
        rank(sorted, 0.50),
        rank(sorted, 0.90),
        rank(sorted, 0.99),
        sorted[sorted.length - 1]);
  }

  /** Whether there were no samples: then p50, p90, p99 and max are not values. */
  public boolean empty() {
    return count == 0;
  }

  private static long rank(long[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  @Override
  public String toString() {
    if (empty()) {
      return "n=0 (no samples)";
    }
    return String.format("n=%d p50=%d ms p90=%d ms p99=%d ms max=%d ms", count, p50, p90, p99, max);
  }
}
