package dev.v2pledger.runtime.cli;

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

  /** What went wrong reading a file the operator named, in a few words. */
  public static String describeFileError(Exception e) {
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof java.nio.charset.CharacterCodingException) {
      return "not UTF-8 text";
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return dev.v2pledger.schema.domain.Values.printable(message, 200);
  }
}
