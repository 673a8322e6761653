package dev.v2pledger.devstack.report;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vip;
import org.jspecify.annotations.Nullable;

/** One sled entry that differs from what the oracle (or the truth, for the baseline) expects. */
public record Violation(
    SledId sled, Vip vip, @Nullable XdeMapping expected, @Nullable XdeMapping actual) {

  /** MISSING (expected, absent), EXTRA (present, not expected) or DIFFERENT. */
  public String kind() {
    if (actual == null) {
      return "MISSING";
    }
    return expected == null ? "EXTRA" : "DIFFERENT";
  }

  @Override
  public String toString() {
    return kind()
        + " sled "
        + sled
        + " "
        + vip
        + ": expected "
        + describe(expected)
        + ", holds "
        + describe(actual);
  }

  static String describe(@Nullable XdeMapping entry) {
    return entry == null ? "nothing" : entry.mac() + " @ " + entry.underlayIp();
  }
}
