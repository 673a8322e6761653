package dev.v2pledger.hardening.fuzz;

import java.security.SecureRandom;
import java.time.Duration;

/**
 * How long and how hard to fuzz: a new seed each run unless {@code -Dv2p.seed=N} (printed, so any
 * failure can be replayed), {@code -Dv2p.fuzz.iterations=N} per target (default small enough for
 * every CI run), and the bounds every decode must keep.
 */
final class FuzzSettings {
  /** A decode that takes longer has hung (loose: CI machines are slow and shared). */
  static final Duration DEADLINE = Duration.ofSeconds(5);

  /** Fixed allowance per decode, plus {@link #ALLOCATION_PER_INPUT_BYTE} per input byte. */
  static final long ALLOCATION_BASE = 8L << 20;

  static final long ALLOCATION_PER_INPUT_BYTE = 64;

  /** One line, and short: an error message is read by a person. */
  static final int MAX_MESSAGE_CHARS = 500;

  private FuzzSettings() {}

  static long seed(String test) {
    Long fixed = Long.getLong("v2p.seed");
    long seed = fixed != null ? fixed : new SecureRandom().nextLong();
    System.out.println(test + ": seed " + seed + " (replay with -Dv2p.seed=" + seed + ")");
    return seed;
  }

  static int iterations(int defaultValue) {
    return Integer.getInteger("v2p.fuzz.iterations", defaultValue);
  }

  static boolean selected(String target) {
    String only = System.getProperty("v2p.fuzz.target");
    return only == null || only.isBlank() || only.equals(target);
  }
}
