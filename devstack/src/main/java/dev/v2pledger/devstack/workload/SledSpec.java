package dev.v2pledger.devstack.workload;

import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.SledId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One sled of the simulated rack: its position in the workload, its id and its underlay address.
 *
 * @param index the sled's number in the workload's steps (0-based)
 */
public record SledSpec(int index, SledId id, Ipv6Addr underlay) {
  public SledSpec {
    if (index < 0) {
      throw new IllegalArgumentException("negative sled index " + index);
    }
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(underlay, "underlay");
  }

  /**
   * Sled {@code n} (1-based) of a devstack rack: id {@code 51ed0000-0000-4000-8000-<n>}, underlay
   * {@code fd00:1122:3344:<100+n>::1}, the same in every run so restarts and reruns find them.
   */
  public static SledSpec numbered(int n) {
    if (n < 1 || 0x100 + n > 0xffff) {
      throw new IllegalArgumentException(
          "sled " + n + " has no underlay address: sleds are numbered 1 to " + (0xffff - 0x100));
    }
    return new SledSpec(
        n - 1,
        SledId.parse(String.format("51ed0000-0000-4000-8000-%012d", n)),
        Ipv6Addr.parse("fd00:1122:3344:" + Integer.toHexString(0x100 + n) + "::1"));
  }

  /** Sleds 1 to {@code count}. */
  public static List<SledSpec> rack(int count) {
    List<SledSpec> out = new ArrayList<>(count);
    for (int n = 1; n <= count; n++) {
      out.add(numbered(n));
    }
    return List.copyOf(out);
  }

  /** This sled at another position (remote sleds are numbered in the order they are given). */
  public SledSpec at(int newIndex) {
    return new SledSpec(newIndex, id, underlay);
  }
}
