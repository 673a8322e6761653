package dev.v2pledger.devstack.run;

/**
 * A run that could not reach its report: the stack did not become ready, the warm-up did not
 * converge, a scripted settle point was not reached, each within its timeout. The message says
 * which, for one line; {@code devstack run} exits 1 with it.
 */
public final class RunFailedException extends RuntimeException {
  public RunFailedException(String message) {
    super(message);
  }
}
