package dev.v2pledger.applier.testing;

import java.util.Random;

/**
 * Seeds of randomized tests: the one given with {@code -Dv2p.seed=N}, else a new one each run;
 * printed, and named with that property in failure messages, so a failure replays without editing
 * the test.
 */
public final class Seeds {
  private Seeds() {}

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
}
