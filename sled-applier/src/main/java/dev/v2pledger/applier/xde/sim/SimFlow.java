package dev.v2pledger.applier.xde.sim;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.Vip;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A cached flow of the simulated device: port {@code port} sends to {@code remote} (in the port's
 * VNI) with the encapsulation {@code cached}, the V2P entry that was in force when the flow was
 * first used. OPTE keeps it in the port's unified flow table until the table is cleared or the flow
 * is idle for its TTL, whatever the V2P table says meanwhile (opte#221).
 *
 * @param port the sending port's name
 * @param remote the destination VIP
 * @param cached the V2P entry the flow encapsulates with
 * @param firstUsed when the flow was cached
 * @param lastUsed when it last carried a packet
 */
public record SimFlow(
    String port, Vip remote, XdeMapping cached, Instant firstUsed, Instant lastUsed) {

  public SimFlow {
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(cached, "cached");
    Objects.requireNonNull(firstUsed, "firstUsed");
    Objects.requireNonNull(lastUsed, "lastUsed");
    if (!cached.vip().equals(remote)) {
      throw new IllegalArgumentException("flow to " + remote + " caches the entry of " + cached);
    }
  }

  /** Where the flow's packets go: the cached underlay address. */
  public Ipv6Addr underlay() {
    return cached.underlayIp();
  }

  /**
   * Whether the flow sends elsewhere than {@code current}, the V2P entry in force now (null when
   * there is none): another MAC or underlay, or an entry that was cleared.
   */
  public boolean isStale(@Nullable XdeMapping current) {
    return current == null || !cached.samePhys(current);
  }
}
