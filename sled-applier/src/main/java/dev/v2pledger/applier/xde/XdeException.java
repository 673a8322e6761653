package dev.v2pledger.applier.xde;

import org.jspecify.annotations.Nullable;

/**
 * An XDE call that failed, with a message an operator can act on ("XDE speaks API version 40, this
 * build speaks 41", "permission denied opening /dev/xde: needs ..."). Device errors are never fatal
 * to the applier: the call is counted and retried by the next reconcile pass.
 */
public final class XdeException extends RuntimeException {
  private final Kind kind;
  private final int errno;
  private final @Nullable OpteError opteError;

  /** What went wrong, coarsely. */
  public enum Kind {
    /**
     * No XDE driver / device node, or a descriptor that no longer reaches it (EBADF, EIO without an
     * error XDE copied out).
     */
    NO_DEVICE,
    /** The caller lacks the privilege to use the device. */
    PERMISSION,
    /** User and kernel API versions differ. */
    API_VERSION,
    /** The device ran the command and refused it. */
    COMMAND,
    /** The response could not be decoded, or did not fit after the allowed retries. */
    BAD_RESPONSE,
    /** The device is closed, or the library could not be loaded. */
    UNAVAILABLE,
    /** An injected or otherwise unclassified failure. */
    OTHER
  }

  public XdeException(Kind kind, String message) {
    this(kind, message, -1, null, null);
  }

  public XdeException(
      Kind kind,
      String message,
      int errno,
      @Nullable OpteError opteError,
      @Nullable Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.errno = errno;
    this.opteError = opteError;
  }

  public Kind kind() {
    return kind;
  }

  /** The errno of the failed call, or -1 when there was none. */
  public int errno() {
    return errno;
  }

  /**
   * Whether the failure is about the device rather than one entry (no driver, no privilege, another
   * API version, a stale descriptor, closed or unloadable): every further call would fail the same
   * way.
   */
  public boolean isDeviceWide() {
    return switch (kind) {
      case NO_DEVICE, PERMISSION, API_VERSION, UNAVAILABLE -> true;
      default -> false;
    };
  }

  /** The error XDE copied out, if any. */
  public @Nullable OpteError opteError() {
    return opteError;
  }
}
