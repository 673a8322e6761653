package dev.v2pledger.applier.xde.ffi;

import jnr.ffi.Pointer;

/**
 * OPTE's {@code OpteCmdIoctl} (repr C, LP64), 72 bytes:
 *
 * <pre>
 *  0 u64     api_version
 *  8 i32     cmd            (then 4 bytes of padding)
 * 16 u64     flags          (OPTE_CMD_RESP_COPY_OUT = 0x1)
 * 24 u64     reserved1
 * 32 u8 *    req_bytes
 * 40 size_t  req_len
 * 48 u8 *    resp_bytes
 * 56 size_t  resp_len
 * 64 size_t  resp_len_actual
 * </pre>
 */
final class OpteCmdIoctl {
  static final long XDE_IOC_OPTE_CMD = 0xDE777701L;
  static final long API_VERSION = 41;
  static final long OPTE_CMD_RESP_COPY_OUT = 0x1;
  static final int SIZE = 72;

  static final int API_VERSION_OFFSET = 0;
  static final int CMD_OFFSET = 8;
  static final int FLAGS_OFFSET = 16;
  static final int RESERVED1_OFFSET = 24;
  static final int REQ_BYTES_OFFSET = 32;
  static final int REQ_LEN_OFFSET = 40;
  static final int RESP_BYTES_OFFSET = 48;
  static final int RESP_LEN_OFFSET = 56;
  static final int RESP_LEN_ACTUAL_OFFSET = 64;

  private OpteCmdIoctl() {}

  /** Fills {@code cmd} for one call; every byte is written (padding zeroed). */
  static void write(
      Pointer cmd, OpteCmd command, Pointer req, long reqLen, Pointer resp, long respLen) {
    cmd.setMemory(0, SIZE, (byte) 0);
    cmd.putLong(API_VERSION_OFFSET, API_VERSION);
    cmd.putInt(CMD_OFFSET, command.number);
    cmd.putAddress(REQ_BYTES_OFFSET, reqLen == 0 ? 0L : req.address());
    cmd.putLong(REQ_LEN_OFFSET, reqLen);
    cmd.putAddress(RESP_BYTES_OFFSET, resp.address());
    cmd.putLong(RESP_LEN_OFFSET, respLen);
  }

  /** Points {@code cmd} at a new response buffer before a retry. */
  static void retarget(Pointer cmd, Pointer resp, long respLen) {
    cmd.putLong(FLAGS_OFFSET, 0);
    cmd.putAddress(RESP_BYTES_OFFSET, resp.address());
    cmd.putLong(RESP_LEN_OFFSET, respLen);
    cmd.putLong(RESP_LEN_ACTUAL_OFFSET, 0);
  }

  static boolean copiedOut(Pointer cmd) {
    return (cmd.getLong(FLAGS_OFFSET) & OPTE_CMD_RESP_COPY_OUT) != 0;
  }

  static long respLenActual(Pointer cmd) {
    return cmd.getLong(RESP_LEN_ACTUAL_OFFSET);
  }
}
