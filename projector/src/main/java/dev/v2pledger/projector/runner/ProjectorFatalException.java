package dev.v2pledger.projector.runner;

/**
 * A condition the projector cannot work around: its topics are missing or not co-partitioned, its
 * changelog does not decode, retries or fencings ran out. The projector stops, and the message is
 * the one line an operator reads.
 */
public final class ProjectorFatalException extends RuntimeException {
  public ProjectorFatalException(String message) {
    super(message);
  }

  public ProjectorFatalException(String message, Throwable cause) {
    super(message, cause);
  }
}
