package dev.v2pledger.applier.xde.ffi;

import dev.v2pledger.applier.xde.OpteError;
import dev.v2pledger.applier.xde.PortInfo;
import dev.v2pledger.applier.xde.Xde;
import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.XdeException.Kind;
import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.applier.xde.postcard.OpteErrorCodec;
import dev.v2pledger.applier.xde.postcard.PortMessages;
import dev.v2pledger.applier.xde.postcard.PostcardException;
import dev.v2pledger.applier.xde.postcard.V2PMessages;
import dev.v2pledger.schema.domain.Vip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.jspecify.annotations.Nullable;

/**
 * XDE through the OPTE ioctl ABI (API version 41): one open file descriptor on the device, one
 * command at a time (calls are serialized), buffers reused between calls.
 */
public final class XdeDevice implements Xde {
  static final int MAX_TRIES = 3;
  static final long MAX_RESPONSE_BYTES = 1L << 30;
  private static final int O_RDWR = 2;
  private static final Map<String, XdeLibrary> LIBRARIES = new ConcurrentHashMap<>();

  private final XdeDeviceConfig config;
  private final XdeLibrary lib;
  private final Runtime runtime;
  private final Errno errno;
  private final ErrorMessages messages;
  private final Pointer cmd;
  private Pointer req;
  private int reqCapacity;
  private Pointer resp;
  private long respCapacity;
  private int fd;

  private XdeDevice(XdeDeviceConfig config, XdeLibrary lib, int fd) {
    this.config = config;
    this.lib = lib;
    this.runtime = Runtime.getRuntime(lib);
    this.errno = Errno.current();
    this.messages = new ErrorMessages(errno, config.devicePath());
    this.fd = fd;
    this.cmd = Memory.allocateDirect(runtime, OpteCmdIoctl.SIZE);
    this.reqCapacity = V2PMessages.MAX_REQUEST_BYTES;
    this.req = Memory.allocateDirect(runtime, reqCapacity);
    this.respCapacity = config.initialResponseBytes();
    this.resp = Memory.allocateDirect(runtime, respCapacity);
  }

  /** Loads the library and opens the device read-write; throws a decoded {@link XdeException}. */
  public static XdeDevice open(XdeDeviceConfig config) {
    XdeLibrary lib = load(config.library());
    int fd = lib.open(config.devicePath(), O_RDWR);
    if (fd < 0) {
      int err = LastError.getLastError(Runtime.getRuntime(lib));
      throw new ErrorMessages(Errno.current(), config.devicePath()).openFailed(err);
    }
    return new XdeDevice(config, lib, fd);
  }

  /**
   * Loads the library that provides {@code open}, {@code ioctl} and {@code close}, without opening
   * the device: a library that cannot be loaded is a mistake in the settings, not a device that is
   * not there yet.
   *
   * @throws XdeException ({@link Kind#UNAVAILABLE}) naming the library
   */
  public static void checkLibrary(XdeDeviceConfig config) {
    load(config.library());
  }

  private static XdeLibrary load(String library) {
    try {
      return LIBRARIES.computeIfAbsent(
          library, name -> LibraryLoader.create(XdeLibrary.class).failImmediately().load(name));
    } catch (LinkageError | RuntimeException e) {
      throw new XdeException(
          Kind.UNAVAILABLE,
          "cannot load library '" + library + "' for open/ioctl/close: " + whyNotLoaded(library, e),
          -1,
          null,
          e);
    }
  }

  /**
   * Why {@code library} did not load: the loader's first line (it goes on with every path it
   * searched, one per line), unless that line is about a name the loader made up. For a path that
   * does not load, jnr-ffi also tries {@code lib<path>.so} and reports that attempt
   * ("lib/opt/x.so.so: cannot open shared object file"); then what the file is says more.
   */
  static String whyNotLoaded(String library, Throwable error) {
    String first = String.valueOf(error.getMessage()).lines().findFirst().orElse("");
    if (!library.contains("/") || first.startsWith(library)) {
      return first;
    }
    Path path = Path.of(library);
    if (!Files.exists(path)) {
      return "no such file";
    }
    if (Files.isDirectory(path)) {
      return "it is a directory";
    }
    if (!Files.isReadable(path)) {
      return "permission denied";
    }
    return "the file does not load as a shared library of this platform";
  }

  public XdeDeviceConfig config() {
    return config;
  }

  @Override
  public void set(XdeMapping mapping) {
    byte[] answer = run(OpteCmd.SET_VIRT2PHYS, V2PMessages.setRequest(mapping));
    noResp(OpteCmd.SET_VIRT2PHYS, answer);
  }

  @Override
  public void clear(Vip vip) {
    byte[] answer = run(OpteCmd.CLEAR_VIRT2PHYS, V2PMessages.clearRequest(vip));
    noResp(OpteCmd.CLEAR_VIRT2PHYS, answer);
  }

  @Override
  public List<XdeMapping> dump() {
    return query(OpteCmd.DUMP_VIRT2PHYS, V2PMessages::decodeDump);
  }

  @Override
  public List<PortInfo> listPorts() {
    return query(OpteCmd.LIST_PORTS, PortMessages::decodeListPorts);
  }

  @Override
  public void clearUft(String portName) {
    byte[] answer = run(OpteCmd.CLEAR_UFT, PortMessages.clearUftRequest(portName));
    noResp(OpteCmd.CLEAR_UFT, answer);
  }

  /** How a query's response is read: its bytes and how many of them are the response. */
  private interface Response<T> {
    T decode(byte[] bytes, int length);
  }

  /** Runs {@code command}, which takes no request, and decodes its response. */
  private <T> T query(OpteCmd command, Response<T> response) {
    byte[] answer = run(command, null);
    try {
      return response.decode(answer, answer.length);
    } catch (PostcardException | IllegalArgumentException e) {
      throw badResponse(command, e);
    }
  }

  private static void noResp(OpteCmd command, byte[] answer) {
    try {
      V2PMessages.decodeNoResp(answer, answer.length);
    } catch (PostcardException e) {
      throw badResponse(command, e);
    }
  }

  private static XdeException badResponse(OpteCmd command, RuntimeException e) {
    return new XdeException(
        Kind.BAD_RESPONSE,
        command.opteName + ": undecodable response: " + e.getMessage(),
        -1,
        null,
        e);
  }

  /** Runs one command; returns the response bytes or throws a decoded error. */
  private synchronized byte[] run(OpteCmd command, byte @Nullable [] request) {
    if (fd < 0) {
      throw new XdeException(Kind.UNAVAILABLE, command.opteName + ": the XDE device is closed");
    }
    int reqLen = request == null ? 0 : request.length;
    if (reqLen > reqCapacity) { // a long port name; V2P requests always fit
      reqCapacity = reqLen;
      req = Memory.allocateDirect(runtime, reqCapacity);
    }
    if (request != null) {
      req.put(0, request, 0, reqLen);
    }
    OpteCmdIoctl.write(cmd, command, req, reqLen, resp, respCapacity);
    long lastNeeded = 0;
    for (int attempt = 1; attempt <= MAX_TRIES; attempt++) {
      int rc = lib.ioctl(fd, OpteCmdIoctl.XDE_IOC_OPTE_CMD, cmd);
      if (rc == 0) {
        return response(command);
      }
      int err = LastError.getLastError(runtime);
      if (err == errno.ebadf()) {
        fd = -1; // not ours any more: the number may be a socket's by now, so never close it
      }
      if (err != errno.enobufs()) {
        throw messages.commandFailed(command.opteName, err, copiedOutError(command));
      }
      lastNeeded = OpteCmdIoctl.respLenActual(cmd);
      grow(command, lastNeeded);
    }
    throw new XdeException(
        Kind.BAD_RESPONSE,
        command.opteName
            + ": the response did not fit after "
            + MAX_TRIES
            + " tries (XDE last asked for "
            + lastNeeded
            + " bytes)",
        errno.enobufs(),
        null,
        null);
  }

  private byte[] response(OpteCmd command) {
    long actual = OpteCmdIoctl.respLenActual(cmd);
    if (actual < 0 || actual > respCapacity) {
      throw new XdeException(
          Kind.BAD_RESPONSE,
          command.opteName
              + ": XDE reports a "
              + actual
              + "-byte response in a "
              + respCapacity
              + "-byte buffer");
    }
    byte[] out = new byte[(int) actual];
    resp.get(0, out, 0, out.length);
    return out;
  }

  private @Nullable OpteError copiedOutError(OpteCmd command) {
    if (!OpteCmdIoctl.copiedOut(cmd)) {
      return null;
    }
    long actual = OpteCmdIoctl.respLenActual(cmd);
    if (actual <= 0 || actual > respCapacity) {
      return new OpteError.Other("Undecodable", "error response of " + actual + " bytes");
    }
    byte[] bytes = new byte[(int) actual];
    resp.get(0, bytes, 0, bytes.length);
    try {
      return OpteErrorCodec.decode(bytes, bytes.length);
    } catch (PostcardException e) {
      return new OpteError.Other("Undecodable", command.opteName + " error: " + e.getMessage());
    }
  }

  /** After ENOBUFS: a buffer of at least {@code needed} bytes (plus headroom), then retry. */
  private void grow(OpteCmd command, long needed) {
    if (needed <= respCapacity || needed > MAX_RESPONSE_BYTES) {
      throw new XdeException(
          Kind.BAD_RESPONSE,
          command.opteName
              + ": ENOBUFS, but XDE asks for "
              + needed
              + " bytes with a "
              + respCapacity
              + "-byte buffer",
          errno.enobufs(),
          null,
          null);
    }
    respCapacity = Math.min(MAX_RESPONSE_BYTES, needed + config.initialResponseBytes() / 4);
    resp = Memory.allocateDirect(runtime, respCapacity);
    OpteCmdIoctl.retarget(cmd, resp, respCapacity);
  }

  @Override
  public synchronized void close() {
    if (fd >= 0) {
      lib.close(fd);
      fd = -1;
    }
  }
}
