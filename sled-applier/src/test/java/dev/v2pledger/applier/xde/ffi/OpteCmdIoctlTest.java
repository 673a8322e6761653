package dev.v2pledger.applier.xde.ffi;

import static org.assertj.core.api.Assertions.assertThat;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.junit.jupiter.api.Test;

/** The command struct's bytes, and the stand-in kernel's layout checks. */
class OpteCmdIoctlTest {
  private final Runtime runtime = Runtime.getSystemRuntime();

  @Test
  void writesEveryFieldAtItsLp64OffsetAndZeroesThePadding() {
    Pointer cmd = Memory.allocateDirect(runtime, OpteCmdIoctl.SIZE);
    cmd.setMemory(0, OpteCmdIoctl.SIZE, (byte) 0xAA);
    Pointer req = Memory.allocateDirect(runtime, 8);
    Pointer resp = Memory.allocateDirect(runtime, 64);

    OpteCmdIoctl.write(cmd, OpteCmd.CLEAR_VIRT2PHYS, req, 30, resp, 64);

    assertThat(cmd.getLong(0)).isEqualTo(41);
    assertThat(cmd.getInt(8)).isEqualTo(55);
    assertThat(cmd.getInt(12)).as("padding").isZero();
    assertThat(cmd.getLong(16)).as("flags").isZero();
    assertThat(cmd.getLong(24)).as("reserved1").isZero();
    assertThat(cmd.getAddress(32)).isEqualTo(req.address());
    assertThat(cmd.getLong(40)).isEqualTo(30);
    assertThat(cmd.getAddress(48)).isEqualTo(resp.address());
    assertThat(cmd.getLong(56)).isEqualTo(64);
    assertThat(cmd.getLong(64)).as("resp_len_actual").isZero();
  }

  @Test
  void standInKernelRefusesAStructWithReservedFieldsSet() {
    FakeXde.control();
    XdeLibrary lib = LibraryLoader.create(XdeLibrary.class).load(FakeXde.library().toString());
    Runtime libRuntime = Runtime.getRuntime(lib);
    int fd = lib.open("/dev/xde", 2);
    Pointer cmd = Memory.allocateDirect(libRuntime, OpteCmdIoctl.SIZE);
    Pointer resp = Memory.allocateDirect(libRuntime, 64);
    OpteCmdIoctl.write(cmd, OpteCmd.DUMP_VIRT2PHYS, resp, 0, resp, 64);
    cmd.putLong(OpteCmdIoctl.RESERVED1_OFFSET, 1);

    assertThat(lib.ioctl(fd, OpteCmdIoctl.XDE_IOC_OPTE_CMD, cmd)).isEqualTo(-1);
    assertThat(LastError.getLastError(libRuntime)).isEqualTo(Errno.current().efault());

    cmd.putLong(OpteCmdIoctl.RESERVED1_OFFSET, 0);
    assertThat(lib.ioctl(fd, OpteCmdIoctl.XDE_IOC_OPTE_CMD, cmd)).isZero();
    assertThat(lib.close(fd)).isZero();
  }
}
