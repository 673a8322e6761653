package dev.v2pledger.applier.xde.ffi;

import jnr.ffi.Platform;

/**
 * The errno values the device cares about, per operating system ({@code errno.h} of illumos, Linux,
 * macOS and FreeBSD; they differ for {@code ENOBUFS}, {@code EPROTO} and {@code ENOMSG}).
 */
record Errno(
    int eperm,
    int enoent,
    int eio,
    int enxio,
    int ebadf,
    int eacces,
    int efault,
    int enodev,
    int einval,
    int enotty,
    int eisdir,
    int enomsg,
    int eproto,
    int enobufs) {

  static final Errno LINUX = new Errno(1, 2, 5, 6, 9, 13, 14, 19, 22, 25, 21, 42, 71, 105);
  static final Errno ILLUMOS = new Errno(1, 2, 5, 6, 9, 13, 14, 19, 22, 25, 21, 35, 71, 132);
  static final Errno DARWIN = new Errno(1, 2, 5, 6, 9, 13, 14, 19, 22, 25, 21, 91, 100, 55);
  static final Errno FREEBSD = new Errno(1, 2, 5, 6, 9, 13, 14, 19, 22, 25, 21, 83, 92, 55);

  /** The table of the running OS (Linux's for any other). */
  static Errno current() {
    Platform.OS os = Platform.getNativePlatform().getOS();
    if (os == Platform.OS.SOLARIS) {
      return ILLUMOS;
    }
    if (os == Platform.OS.DARWIN) {
      return DARWIN;
    }
    if (os == Platform.OS.FREEBSD) {
      return FREEBSD;
    }
    return LINUX;
  }

  /** The symbolic name of {@code errno}, or {@code errno N}. */
  String name(int errno) {
    int[] values = {
      eperm, enoent, eio, enxio, ebadf, eacces, efault, enodev, einval, enotty, eisdir, enomsg,
      eproto, enobufs
    };
    String[] names = {
      "EPERM", "ENOENT", "EIO", "ENXIO", "EBADF", "EACCES", "EFAULT", "ENODEV", "EINVAL", "ENOTTY",
      "EISDIR", "ENOMSG", "EPROTO", "ENOBUFS"
    };
    for (int i = 0; i < values.length; i++) {
      if (values[i] == errno) {
        return names[i];
      }
    }
    return "errno " + errno;
  }
}
