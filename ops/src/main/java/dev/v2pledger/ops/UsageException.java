package dev.v2pledger.ops;

/**
 * A mistake of the person running a command (a bad value, a missing file, an unreachable broker):
 * the runner prints its message as one line and exits with {@link #exitCode()}, no stack trace.
 */
public class UsageException extends RuntimeException {
  private final int exitCode;

  public UsageException(String message) {
    this(message, Cli.EXIT_USAGE);
  }

  public UsageException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public UsageException(String message, int exitCode, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
