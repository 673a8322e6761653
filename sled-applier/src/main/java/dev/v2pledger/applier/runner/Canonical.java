package dev.v2pledger.applier.runner;

import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.Vni;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares the values that millions of records repeat (VNIs, sled ids, underlay addresses: a rack has
 * few of each) so that the desired table holds one copy of each instead of one per record. Bounded:
 * past {@value #MAX_VALUES} distinct values, new ones are kept as they are. Thread-safe (records
 * are decoded in parallel while catching up).
 */
final class Canonical {
  static final int MAX_VALUES = 1 << 16;

  private final ConcurrentHashMap<Object, Object> values = new ConcurrentHashMap<>();

  /** {@code record} built from shared values; equal to it. */
  V2PMapping of(V2PMapping record) {
    MappingKey key = record.key();
    Vni vni = intern(key.vni());
    MappingKey sharedKey = vni == key.vni() ? key : new MappingKey(vni, key.ip(), key.ipEpoch());
    V2PTarget target = record.target();
    V2PTarget sharedTarget = target;
    if (target != null) {
      Ipv6Addr underlay = intern(target.underlayIp());
      SledId sled = intern(target.sledId());
      if (underlay != target.underlayIp() || sled != target.sledId()) {
        sharedTarget = new V2PTarget(target.mac(), underlay, sled);
      }
    }
    if (sharedKey == key && sharedTarget == target) {
      return record;
    }
    return new V2PMapping(
        sharedKey,
        record.state(),
        sharedTarget,
        record.instanceId(),
        record.nicId(),
        record.locationGen());
  }

  @SuppressWarnings("unchecked")
  private <T> T intern(T value) {
    Object shared = values.get(value);
    if (shared != null) {
      return (T) shared;
    }
    if (values.size() >= MAX_VALUES) {
      return value;
    }
    Object raced = values.putIfAbsent(value, value);
    return raced == null ? value : (T) raced;
  }
}
