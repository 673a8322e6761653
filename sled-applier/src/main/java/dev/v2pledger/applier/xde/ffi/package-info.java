/**
 * The real XDE device: {@code open}, {@code ioctl(fd, XDE_IOC_OPTE_CMD, &OpteCmdIoctl)} and {@code
 * close} called through jnr-ffi, with OPTE's 72-byte command struct, postcard bodies, the {@code
 * ENOBUFS} grow-and-retry loop and errno decoding. The only package that imports {@code jnr.ffi}
 * (an ArchUnit test keeps it so); the library providing the three symbols is configurable, so a
 * stand-in library can play the kernel on any OS.
 */
@NullMarked
package dev.v2pledger.applier.xde.ffi;

import org.jspecify.annotations.NullMarked;
