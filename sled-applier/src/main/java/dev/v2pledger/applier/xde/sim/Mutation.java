package dev.v2pledger.applier.xde.sim;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.Vip;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One write to the simulated table, as it happened: when, by what, and the entry of {@code vip}
 * before and after (null when absent). A write that changed nothing is logged too, so tests can
 * assert on calls, not only on effects.
 */
public record Mutation(
    long sequence,
    Instant at,
    Op op,
    Vip vip,
    @Nullable XdeMapping before,
    @Nullable XdeMapping after) {

  /** What wrote. */
  public enum Op {
    /** {@code SetVirt2Phys} through the {@code Xde} interface. */
    SET,
    /** {@code ClearVirt2Phys} through the {@code Xde} interface. */
    CLEAR,
    /** XDE's side effect of creating a port: "VIP -> this sled". */
    PORT_CREATE,
    /** XDE's side effect of destroying a port: the (VNI, VIP) entry is removed. */
    PORT_DESTROY;

    /** Whether the applier (rather than XDE itself) made this write. */
    public boolean byApplier() {
      return this == SET || this == CLEAR;
    }
  }

  public Mutation {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(vip, "vip");
  }

  /** Whether the entry is different afterwards. */
  public boolean changed() {
    return !Objects.equals(before, after);
  }

  @Override
  public String toString() {
    return "#" + sequence + " " + at + " " + op + " " + vip + ": " + before + " => " + after;
  }
}
