package dev.v2pledger.replay.cli;

import dev.v2pledger.ops.UsageException;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;

/** Parsing shared by the commands. */
public final class Commands {
  private Commands() {}

  /** {@code VNI/IP}, e.g. {@code 7777/172.30.0.5}; a usage error otherwise. */
  public static Vip vip(String text) {
    int slash = text.indexOf('/');
    if (slash < 0) {
      throw new UsageException("--ip: '" + text + "' is not VNI/IP (e.g. 7777/172.30.0.5)");
    }
    try {
      return new Vip(Vni.parse(text.substring(0, slash)), IpAddr.parse(text.substring(slash + 1)));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--ip: " + e.getMessage());
    }
  }
}
