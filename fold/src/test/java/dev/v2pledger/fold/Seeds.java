package dev.v2pledger.fold;

import java.util.Random;
import java.util.function.LongConsumer;

/**
 * Runs a property over many seeds and names the failing one: a failure says {@code seed N}, and
 * {@code -Dv2p.seed=N} replays exactly that case (the base seed is random otherwise, so every run
 * explores new cases).
 */
final class Seeds {
  private Seeds() {}

  static void forEach(int cases, LongConsumer property) {
    Long fixed = Long.getLong("v2p.seed");
    long base = fixed != null ? fixed : new Random().nextLong();
    int runs = fixed != null ? 1 : cases;
    for (int i = 0; i < runs; i++) {
      long seed = base + i;
      try {
        property.accept(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "property failed for seed " + seed + " (replay with -Dv2p.seed=" + seed + ")", e);
      }
    }
  }
}
