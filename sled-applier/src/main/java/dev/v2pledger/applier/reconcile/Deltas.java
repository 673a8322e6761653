package dev.v2pledger.applier.reconcile;

import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Version.Verdict;
import org.jspecify.annotations.Nullable;

/**
 * The rule for one new record once the snapshot is complete: a record the desired table kept
 * ({@link Verdict#NEWER}) becomes one call, a set when it is SET (an upsert: moving a VIP is one
 * set, never clear-then-set; a re-assert at a new generation is set again, which repairs a sled
 * whose port creation installed a local mapping) and a clear when it is CLEARED. Anything else, and
 * anything in an excluded VNI, needs no call.
 */
public final class Deltas {
  private Deltas() {}

  /** The call {@code record} needs, given the table's verdict on it; null for none. */
  public static @Nullable Action actionFor(V2PMapping record, Verdict verdict, Desired desired) {
    if (!verdict.replaces() || desired.isExcluded(record.vip().vni())) {
      return null;
    }
    if (record.isSet()) {
      return Action.set(Desired.entryOf(record), null);
    }
    return Action.clear(record.vip(), null);
  }
}
