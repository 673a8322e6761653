package dev.v2pledger.applier.xde.ffi;

import dev.v2pledger.applier.xde.OpteError;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.XdeException.Kind;
import org.jspecify.annotations.Nullable;

/** Turns errno (and the error XDE copied out, if any) into a message an operator can act on. */
final class ErrorMessages {
  private static final String PRIVILEGE =
      "needs privilege (run as root, or with the sys_net_config privilege)";

  private final Errno errno;
  private final String device;

  ErrorMessages(Errno errno, String device) {
    this.errno = errno;
    this.device = device;
  }

  XdeException openFailed(int err) {
    if (err == errno.enoent() || err == errno.enxio() || err == errno.enodev()) {
      return new XdeException(
          Kind.NO_DEVICE,
          "no XDE driver: cannot open " + device + " (" + errno.name(err) + ")",
          err,
          null,
          null);
    }
    if (err == errno.eperm() || err == errno.eacces()) {
      return new XdeException(
          Kind.PERMISSION,
          "permission denied opening " + device + ": " + PRIVILEGE,
          err,
          null,
          null);
    }
    return new XdeException(
        Kind.OTHER, "cannot open " + device + ": " + errno.name(err), err, null, null);
  }

  XdeException commandFailed(String command, int err, @Nullable OpteError error) {
    String prefix = command + ": ";
    if (error instanceof OpteError.BadApiVersion bad) {
      return new XdeException(Kind.API_VERSION, prefix + bad.describe(), err, error, null);
    }
    // Only BadApiVersion maps to EPROTO in to_errno, but System { errno, msg } carries any errno:
    // a copied-out System error is XDE's answer to this command, whatever its errno.
    if (err == errno.eproto()
        && !(error instanceof OpteError.SystemError system && system.errno() == err)) {
      return new XdeException(
          Kind.API_VERSION,
          prefix
              + "XDE speaks another API version, this build speaks "
              + OpteCmdIoctl.API_VERSION
              + " (EPROTO)",
          err,
          error,
          null);
    }
    if (error != null) {
      return new XdeException(
          Kind.COMMAND, prefix + error.describe() + " (" + errno.name(err) + ")", err, error, null);
    }
    return new XdeException(kindOf(err), prefix + describe(err), err, null, null);
  }

  private Kind kindOf(int err) {
    if (err == errno.eperm() || err == errno.eacces()) {
      return Kind.PERMISSION;
    }
    if (err == errno.enoent() || err == errno.enxio() || err == errno.enodev()) {
      return Kind.NO_DEVICE;
    }
    if (err == errno.ebadf() || err == errno.eio()) { // the descriptor no longer reaches XDE
      return Kind.NO_DEVICE;
    }
    return Kind.OTHER;
  }

  private String describe(int err) {
    if (err == errno.eperm() || err == errno.eacces()) {
      return "permission denied: " + PRIVILEGE + " (" + errno.name(err) + ")";
    }
    if (err == errno.enoent() || err == errno.enxio() || err == errno.enodev()) {
      return "no XDE driver behind " + device + " (" + errno.name(err) + ")";
    }
    if (err == errno.ebadf()) { // closed under this process: XDE never answers EBADF itself
      return "the descriptor of " + device + " is not open any more (EBADF)";
    }
    if (err == errno.eio()) { // not from XDE's handler either: it copies its own errors out
      return "I/O error on " + device + " (EIO)";
    }
    if (err == errno.efault()) {
      return "XDE could not copy the request or response (EFAULT)";
    }
    if (err == errno.enomsg()) {
      return "XDE could not decode the request or encode the response (ENOMSG)";
    }
    if (err == errno.enotty() || err == errno.einval()) {
      return device + " does not understand the OPTE command ioctl (" + errno.name(err) + ")";
    }
    return "ioctl failed: " + errno.name(err);
  }
}
