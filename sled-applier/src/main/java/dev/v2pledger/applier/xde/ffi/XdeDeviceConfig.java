package dev.v2pledger.applier.xde.ffi;

import java.util.Objects;

/**
 * Where the device is and which library provides {@code open}/{@code ioctl}/{@code close}.
 *
 * @param devicePath the XDE control node, {@code /dev/xde}
 * @param library a library name ({@code c}, the default) or a path to a shared library
 * @param initialResponseBytes the first response buffer's size (OPTE's tools use 16 KiB); a larger
 *     answer is fetched again after {@code ENOBUFS}
 */
public record XdeDeviceConfig(String devicePath, String library, int initialResponseBytes) {
  public static final String DEFAULT_DEVICE = "/dev/xde";
  public static final String DEFAULT_LIBRARY = "c";
  public static final int DEFAULT_RESPONSE_BYTES = 16 * 1024;

  public XdeDeviceConfig {
    Objects.requireNonNull(devicePath, "devicePath");
    Objects.requireNonNull(library, "library");
    if (devicePath.isBlank()) {
      throw new IllegalArgumentException("XDE device path is empty");
    }
    if (library.isBlank()) {
      throw new IllegalArgumentException("XDE library is empty");
    }
    if (initialResponseBytes < 16) {
      throw new IllegalArgumentException(
          "initial response buffer must hold at least 16 bytes, got " + initialResponseBytes);
    }
  }

  /** {@code /dev/xde} through the C library. */
  public static XdeDeviceConfig defaults() {
    return new XdeDeviceConfig(DEFAULT_DEVICE, DEFAULT_LIBRARY, DEFAULT_RESPONSE_BYTES);
  }

  public XdeDeviceConfig withDevicePath(String path) {
    return new XdeDeviceConfig(path, library, initialResponseBytes);
  }

  public XdeDeviceConfig withLibrary(String name) {
    return new XdeDeviceConfig(devicePath, name, initialResponseBytes);
  }

  public XdeDeviceConfig withInitialResponseBytes(int bytes) {
    return new XdeDeviceConfig(devicePath, library, bytes);
  }
}
