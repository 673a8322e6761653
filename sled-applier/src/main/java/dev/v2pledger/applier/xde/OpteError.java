package dev.v2pledger.applier.xde;

import java.util.Objects;

/**
 * An error that XDE copied out with its answer (OPTE's {@code OpteError}, postcard-encoded). The
 * variants the applier reasons about have their own records; the rest keep their variant name and a
 * rendering of their fields.
 */
public sealed interface OpteError
    permits OpteError.BadApiVersion,
        OpteError.BadState,
        OpteError.PortNotFound,
        OpteError.RespTooLarge,
        OpteError.SystemError,
        OpteError.Other {

  /** A one-line human description. */
  String describe();

  /** Variant 0: the kernel speaks another API version than the caller. */
  record BadApiVersion(long user, long kernel) implements OpteError {
    @Override
    public String describe() {
      return "XDE speaks API version "
          + Long.toUnsignedString(kernel)
          + ", this build speaks "
          + Long.toUnsignedString(user);
    }
  }

  /**
   * Variant 3: the port is not in a state that allows the command (ClearUft needs {@code running});
   * {@code state} is the port's state as OPTE prints it ({@code ready}, {@code paused}, ...).
   */
  record BadState(String state) implements OpteError {
    public BadState {
      Objects.requireNonNull(state, "state");
    }

    @Override
    public String describe() {
      return "BadState: port is " + state;
    }
  }

  /** Variant 17: no port of that name. */
  record PortNotFound(String port) implements OpteError {
    public PortNotFound {
      Objects.requireNonNull(port, "port");
    }

    @Override
    public String describe() {
      return "PortNotFound: " + port;
    }
  }

  /** The response needs {@code needed} bytes but only {@code given} were offered. */
  record RespTooLarge(long needed, long given) implements OpteError {
    @Override
    public String describe() {
      return "response too large: needs " + needed + " bytes, " + given + " given";
    }
  }

  /** A system error inside the driver, with its errno and message. */
  record SystemError(int errno, String msg) implements OpteError {
    @Override
    public String describe() {
      return "system error (errno " + errno + "): " + msg;
    }
  }

  /**
   * Any other variant.
   *
   * @param variant OPTE's variant name
   * @param detail its fields rendered as text, empty for a unit variant
   */
  record Other(String variant, String detail) implements OpteError {
    @Override
    public String describe() {
      return detail.isEmpty() ? variant : variant + ": " + detail;
    }
  }
}
