package dev.v2pledger.applier.reconcile;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The diff of desired against observed: the sets (missing or different entries, first) and clears
 * (entries desired does not hold as SET) that make the device equal to desired outside the excluded
 * VNIs, plus how many entries were already right and how many were left alone as excluded.
 */
public record Plan(List<Action> actions, int inSync, int excludedSkipped) {
  public Plan {
    actions = List.copyOf(actions);
  }

  /**
   * Compares {@code desired} with the device's {@code observed} dump (one entry per VIP, as XDE's
   * table is keyed by it). Each entry is looked up in desired, whose records found are marked in a
   * bit set by their position; the SET records left unmarked are missing. No map of the dump is
   * built (at 10 k mappings it was ~0.5 MB a pass; the bit set is 2 KB).
   */
  public static Plan of(Desired desired, List<XdeMapping> observed) {
    List<Action> sets = new ArrayList<>();
    List<Action> clears = new ArrayList<>();
    BitSet found = new BitSet(desired.positions());
    int inSync = 0;
    int excluded = 0;
    for (XdeMapping there : observed) {
      Vip vip = there.vip();
      if (desired.isExcluded(vip.vni())) {
        excluded++;
        continue;
      }
      int at = desired.indexOf(vip);
      V2PMapping record = at < 0 ? null : desired.at(at);
      if (record == null) {
        clears.add(Action.clear(vip, DriftReason.UNKNOWN));
        continue;
      }
      found.set(at);
      if (!record.isSet()) {
        clears.add(Action.clear(vip, DriftReason.CLEARED));
      } else if (!Desired.matches(record, there)) {
        sets.add(Action.set(Desired.entryOf(record), DriftReason.DIFFERENT));
      } else {
        inSync++;
      }
    }
    int positions = desired.positions();
    for (int at = found.nextClearBit(0); at < positions; at = found.nextClearBit(at + 1)) {
      V2PMapping record = desired.at(at); // null for most: an empty position
      if (record != null && record.isSet() && !desired.isExcluded(record.vip().vni())) {
        sets.add(Action.set(Desired.entryOf(record), DriftReason.MISSING));
      }
    }
    sets.addAll(clears);
    return new Plan(sets, inSync, excluded);
  }
}
