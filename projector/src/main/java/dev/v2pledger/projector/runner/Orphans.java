package dev.v2pledger.projector.runner;

import java.util.Set;

/**
 * Partitions of the events topic that the group, while stable, has given to no member: seen the
 * same in successive looks for at least a bound, they are orphans (no one will fold their events
 * until the group rebalances). Fed with observations; no Kafka calls, so it can be tested alone.
 */
final class Orphans {
  private final long boundNanos;
  private Set<Integer> seen = Set.of();
  private long since;

  Orphans(long boundNanos) {
    this.boundNanos = boundNanos;
  }

  /**
   * One look at {@code now}: whether the group was stable and which partitions no member held.
   * Returns them once they have been the same, in stable looks, for the bound; else empty.
   */
  Set<Integer> observe(boolean stable, Set<Integer> unowned, long now) {
    if (!stable || unowned.isEmpty()) {
      seen = Set.of();
      return Set.of();
    }
    if (!unowned.equals(seen)) {
      seen = Set.copyOf(unowned);
      since = now;
      return Set.of();
    }
    return now - since >= boundNanos ? seen : Set.of();
  }
}
