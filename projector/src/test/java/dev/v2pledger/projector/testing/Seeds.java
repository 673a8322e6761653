package dev.v2pledger.projector.testing;

import java.security.SecureRandom;

/**
 * Seeds of randomized integration tests: a new one each run (printed, so a failure can be
 * replayed), or the one given with {@code -Dv2p.seed=N}.
 */
public final class Seeds {
  private Seeds() {}

  public static long pick(String test) {
    Long fixed = Long.getLong("v2p.seed");
    long seed = fixed != null ? fixed : new SecureRandom().nextLong();
    System.out.println(test + ": seed " + seed + " (replay with -Dv2p.seed=" + seed + ")");
    return seed;
  }

  /** What failure messages say. */
  public static String context(String test, long seed) {
    return test + " with seed " + seed + " (replay with -Dv2p.seed=" + seed + ")";
  }
}
