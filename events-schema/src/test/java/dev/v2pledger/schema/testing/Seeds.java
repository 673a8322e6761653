package dev.v2pledger.schema.testing;

import java.util.Random;
import java.util.function.LongConsumer;

/**
 * Seeds of every randomized test of the project: the one given with {@code -Dv2p.seed=N}, else a
 * new one each run (so every run explores new cases); printed, and named with that property in
 * failure messages, so a failure replays without editing the test.
 */
public final class Seeds {
  private Seeds() {}

  /** {@code test}'s seed: {@code -Dv2p.seed}'s, else a new one; printed. */
  public static long pick(String test) {
    Long fixed = Long.getLong("v2p.seed");
    long seed = fixed != null ? fixed : new Random().nextLong();
    System.out.println(test + ": " + replay(seed));
    return seed;
  }

  /** What failure messages say: {@code seed N (replay with -Dv2p.seed=N)}. */
  public static String replay(long seed) {
    return "seed " + seed + " (replay with -Dv2p.seed=" + seed + ")";
  }

  /** {@code "TEST with seed N (replay with -Dv2p.seed=N)"}. */
  public static String context(String test, long seed) {
    return test + " with " + replay(seed);
  }

  /**
   * Runs {@code property} for {@code cases} seeds in a row from a random base, or for exactly the
   * seed {@code -Dv2p.seed} gives; a failure (an assertion or any exception) names its seed.
   */
  public static void forEach(int cases, LongConsumer property) {
    Long fixed = Long.getLong("v2p.seed");
    long base = fixed != null ? fixed : new Random().nextLong();
    int runs = fixed != null ? 1 : cases;
    for (int i = 0; i < runs; i++) {
      long seed = base + i;
      try {
        property.accept(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("property failed for " + replay(seed), e);
      }
    }
  }
}
