package dev.v2pledger.applier.reconcile;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The diff of desired against observed: the sets (missing or different entries, first) and clears
 * (entries desired does not hold as SET) that make the device equal to desired outside the excluded
 * VNIs, plus how many entries were already right and how many were left alone as excluded.
 */
public record Plan(List<Action> actions, int inSync, int excludedSkipped) {
  public Plan {
    actions = List.copyOf(actions);
  }

  /** Compares {@code desired} with the device's {@code observed} dump. */
  public static Plan of(Desired desired, List<XdeMapping> observed) {
    Map<Vip, XdeMapping> device = new HashMap<>(observed.size() * 4 / 3 + 1);
    for (XdeMapping entry : observed) {
      device.put(entry.vip(), entry);
    }
    List<Action> actions = new ArrayList<>();
    int inSync = 0;
    for (V2PMapping record : desired.newestRecords()) {
      Vip vip = record.vip();
      if (!record.isSet() || desired.isExcluded(vip.vni())) {
        continue;
      }
      XdeMapping there = device.remove(vip);
      if (there == null) {
        actions.add(Action.set(Desired.entryOf(record), DriftReason.MISSING));
      } else if (!Desired.matches(record, there)) {
        actions.add(Action.set(Desired.entryOf(record), DriftReason.DIFFERENT));
      } else {
        inSync++;
      }
    }
    int excluded = 0;
    for (XdeMapping leftover : device.values()) {
      Vip vip = leftover.vip();
      if (desired.isExcluded(vip.vni())) {
        excluded++;
      } else {
        DriftReason why = desired.newest(vip) == null ? DriftReason.UNKNOWN : DriftReason.CLEARED;
        actions.add(Action.clear(vip, why));
      }
    }
    return new Plan(actions, inSync, excluded);
  }
}
