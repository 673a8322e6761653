package dev.v2pledger.applier.xde.ffi;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Variadic;

/**
 * The three C functions the device needs. They come from the C library by default, or from any
 * library that exports them (the tests' stand-in kernel).
 */
public interface XdeLibrary {

  /** {@code int open(const char *path, int flags, ...)}. */
  @SaveError
  @Variadic(fixedCount = 2)
  int open(@In String path, int flags);

  /** {@code int ioctl(int fd, unsigned long request, ...)}, called with one pointer argument. */
  @SaveError
  @Variadic(fixedCount = 2)
  int ioctl(int fd, long request, Pointer arg);

  /** {@code int close(int fd)}. */
  @SaveError
  int close(int fd);
}
