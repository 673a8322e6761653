package dev.v2pledger.hardening.fuzz;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fuzz test class's seed ({@link FuzzSettings#seed}, printed) and its {@link Guard}, made before
 * its tests and closed after them: {@code @RegisterExtension static final Fuzzing FUZZ = new
 * Fuzzing("ThisTest");}.
 */
final class Fuzzing implements BeforeAllCallback, AfterAllCallback {
  private final String test;
  private long seed;
  private Guard guard;

  Fuzzing(String test) {
    this.test = test;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    seed = FuzzSettings.seed(test);
    guard = new Guard(FuzzSettings.DEADLINE);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    guard.close();
  }

  long seed() {
    return seed;
  }

  Guard guard() {
    return guard;
  }
}
