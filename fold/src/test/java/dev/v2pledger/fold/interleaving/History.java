package dev.v2pledger.fold.interleaving;

import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.Vip;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One causal history of a rack: for each instance, its publishers' streams (each in that
 * publisher's order) and where its mappings must point at the end.
 */
record History(String name, List<InstanceHistory> instances) {
  History {
    instances = List.copyOf(instances);
  }

  /**
   * One instance's share of a history.
   *
   * @param streams publisher name to that publisher's events of this instance, in order
   * @param expected every key of the instance that must end SET, with its target; every other key
   *     it ever wrote must end CLEARED
   */
  record InstanceHistory(
      InstanceId instanceId,
      Map<String, List<InstanceEvent>> streams,
      Map<MappingKey, V2PTarget> expected) {
    InstanceHistory {
      streams = Map.copyOf(streams);
      expected = Map.copyOf(expected);
    }

    List<List<InstanceEvent>> streamList() {
      return new ArrayList<>(streams.values());
    }

    int events() {
      return streams.values().stream().mapToInt(List::size).sum();
    }

    /** How many interleavings keep each stream's order: the multinomial coefficient. */
    BigInteger interleavings() {
      BigInteger count = BigInteger.ONE;
      int placed = 0;
      for (List<InstanceEvent> stream : streams.values()) {
        for (int i = 1; i <= stream.size(); i++) {
          placed++;
          count = count.multiply(BigInteger.valueOf(placed)).divide(BigInteger.valueOf(i));
        }
      }
      return count;
    }
  }

  /**
   * The table in force across instances: for each (VNI, IP) the expected key of the highest epoch
   * (a re-allocated IP belongs to its newest owner; the older owner's keys must end CLEARED).
   */
  Map<Vip, V2PTarget> expectedTable() {
    Map<Vip, MappingKey> newest = new HashMap<>();
    Map<Vip, V2PTarget> table = new HashMap<>();
    for (InstanceHistory instance : instances) {
      instance
          .expected()
          .forEach(
              (key, target) -> {
                MappingKey held = newest.get(key.vip());
                if (held == null || held.ipEpoch() < key.ipEpoch()) {
                  newest.put(key.vip(), key);
                  table.put(key.vip(), target);
                }
              });
    }
    return table;
  }

  int events() {
    return instances.stream().mapToInt(InstanceHistory::events).sum();
  }

  @Override
  public String toString() {
    return name;
  }
}
