package dev.v2pledger.applier.runner;

import dev.v2pledger.schema.codec.SharedValues;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.Vni;

/**
 * Shares the values that millions of records repeat (VNIs, sled ids, underlay addresses: a rack has
 * few of each) so that the desired table holds one copy of each instead of one per record, in a
 * {@link SharedValues} bounded at {@value #MAX_VALUES} distinct values. Thread-safe (records are
 * decoded in parallel while catching up).
 */
final class Canonical {
  static final int MAX_VALUES = SharedValues.DEFAULT_MAX;

  private final SharedValues values = new SharedValues(MAX_VALUES);

  /** {@code record} built from shared values; equal to it. */
  V2PMapping of(V2PMapping record) {
    MappingKey key = record.key();
    Vni vni = values.of(key.vni());
    MappingKey sharedKey = vni == key.vni() ? key : new MappingKey(vni, key.ip(), key.ipEpoch());
    V2PTarget target = record.target();
    V2PTarget sharedTarget = target;
    if (target != null) {
      Ipv6Addr underlay = values.of(target.underlayIp());
      SledId sled = values.of(target.sledId());
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
}
