package dev.v2pledger.devstack.testing;

/** Seeds of randomized tests: {@code -Dv2p.seed=N} replays one; otherwise a fresh one, printed. */
public final class Seeds {
  private Seeds() {}

  public static long pick(String test) {
    String given = System.getProperty("v2p.seed");
    long seed = given != null ? Long.parseLong(given) : new java.util.Random().nextLong();
    System.out.println(test + ": seed " + seed + " (replay with -Dv2p.seed=" + seed + ")");
    return seed;
  }
}
