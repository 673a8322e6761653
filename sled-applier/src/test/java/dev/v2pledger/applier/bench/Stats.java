package dev.v2pledger.applier.bench;

import java.util.Arrays;

/** Percentiles of a sample of durations in nanoseconds. */
final class Stats {
  private final long[] sorted;

  Stats(long[] nanos) {
    this.sorted = nanos.clone();
    Arrays.sort(sorted);
  }

  long percentile(double p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  double mean() {
    return Arrays.stream(sorted).average().orElse(0);
  }

  String micros() {
    return String.format(
        "n=%d mean=%.1f us p50=%.1f us p90=%.1f us p99=%.1f us max=%.1f us",
        sorted.length,
        mean() / 1e3,
        percentile(50) / 1e3,
        percentile(90) / 1e3,
        percentile(99) / 1e3,
        sorted[sorted.length - 1] / 1e3);
  }
}
