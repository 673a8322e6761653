package dev.v2pledger.applier.cli;

import dev.v2pledger.applier.xde.ffi.XdeDeviceConfig;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Where the device is; accepted before the verb ({@code xde --xde-device P set}) and after it. */
public final class XdeOptions {
  @Option(
      names = "--xde-device",
      paramLabel = "PATH",
      description = "the XDE control node (default: /dev/xde)")
  @Nullable String device;

  @Option(
      names = "--xde-library",
      paramLabel = "PATH",
      description =
          "library providing open/ioctl/close (default: the C library; a stand-in for tests)")
  @Nullable String library;

  /** These options, or {@code outer}'s where these are not given, or the defaults. */
  XdeDeviceConfig resolve(@Nullable XdeOptions outer) {
    XdeDeviceConfig config = XdeDeviceConfig.defaults();
    String path = device != null ? device : outer == null ? null : outer.device;
    String lib = library != null ? library : outer == null ? null : outer.library;
    if (path != null) {
      config = config.withDevicePath(path);
    }
    if (lib != null) {
      config = config.withLibrary(lib);
    }
    return config;
  }
}
