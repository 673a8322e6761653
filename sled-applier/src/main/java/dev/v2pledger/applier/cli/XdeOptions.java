package dev.v2pledger.applier.cli;

import dev.v2pledger.applier.xde.XdeException;
import dev.v2pledger.applier.xde.ffi.XdeDevice;
import dev.v2pledger.applier.xde.ffi.XdeDeviceConfig;
import dev.v2pledger.runtime.cli.UsageException;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Where the device is. Inherited options: on {@code xde} they are accepted before the verb ({@code
 * xde --xde-device P set}) and after it, and picocli sets them here either way.
 */
public final class XdeOptions {
  @Option(
      names = "--xde-device",
      paramLabel = "PATH",
      defaultValue = XdeDeviceConfig.DEFAULT_DEVICE,
      scope = ScopeType.INHERIT,
      description = "the XDE control node (default: ${DEFAULT-VALUE})")
  String device;

  @Option(
      names = "--xde-library",
      paramLabel = "PATH",
      defaultValue = XdeDeviceConfig.DEFAULT_LIBRARY,
      scope = ScopeType.INHERIT,
      description =
          "library providing open/ioctl/close (default: the C library; a stand-in for tests)")
  String library;

  /**
   * The device these options name, once its library loads; a usage error (exit code 2) for an empty
   * path or a library that does not load, which no retry would mend.
   */
  XdeDeviceConfig config() {
    XdeDeviceConfig config;
    try {
      config = XdeDeviceConfig.defaults().withDevicePath(device).withLibrary(library);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    try {
      XdeDevice.checkLibrary(config);
    } catch (XdeException e) {
      throw new UsageException(e.getMessage());
    }
    return config;
  }
}
