package dev.v2pledger.projector.bench;

import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.Ipv4Addr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Scripted event histories of one instance, with every id and address a new object as a decoder
 * would make it (so nothing is shared between instances unless someone interns it).
 */
final class Lifecycles {
  static final int SLEDS = 32;

  private final Random random;
  private int next;

  Lifecycles(long seed) {
    this.random = new Random(seed);
  }

  InstanceId instance(int n) {
    return new InstanceId(new UUID(0x1000_0000_0000_4000L, 0x8000_0000_0000_0000L | n));
  }

  private UUID uuid(int kind) {
    return new UUID(0x0000_0000_0000_4000L | ((long) kind << 48), 0x8000_0000_0000_0000L | next++);
  }

  /** Sled ids and underlay addresses as decoded: equal values, distinct objects. */
  private SledId sled(int n) {
    return new SledId(new UUID(0x51ed_0000_0000_4000L, 0x8000_0000_0000_0000L | n));
  }

  private Ipv6Addr underlay(int n) {
    return new Ipv6Addr(0xfd00_1122_3344_0100L + n, 1);
  }

  /** Attached (one IPv4), placed, running: a typical instance. */
  List<InstanceEvent> fresh(InstanceId id) {
    List<InstanceEvent> events = new ArrayList<>();
    int sled = random.nextInt(SLEDS);
    VmmId vmm = new VmmId(uuid(3));
    events.add(
        InstanceEvent.of(
            id,
            new EventPayload.NicAttached(
                new NicId(uuid(4)),
                new Vni(7777),
                new MacAddr(0xa84025000000L + (next++ & 0xffffff)),
                List.of(new Ipv4Addr(0xac1e0000 + (next++ & 0xffff))),
                next++)));
    events.add(InstanceEvent.of(id, new EventPayload.VmmPlaced(vmm, sled(sled), underlay(sled))));
    events.add(InstanceEvent.of(id, new EventPayload.VmmReported(vmm, VmmState.RUNNING, 1)));
    return events;
  }

  /** {@link #fresh} then {@code migrations} completed live migrations, each source destroyed. */
  List<InstanceEvent> migrated(InstanceId id, int migrations) {
    List<InstanceEvent> events = fresh(id);
    VmmId source = ((EventPayload.VmmPlaced) events.get(1).payload()).vmmId();
    for (int i = 0; i < migrations; i++) {
      int sled = random.nextInt(SLEDS);
      VmmId target = new VmmId(uuid(3));
      MigrationId migration = new MigrationId(uuid(5));
      events.add(
          InstanceEvent.of(
              id,
              new EventPayload.MigrationStarted(
                  migration, source, target, sled(sled), underlay(sled))));
      events.add(report(id, migration, MigrationSide.SOURCE, MigrationState.IN_PROGRESS, 1));
      events.add(report(id, migration, MigrationSide.TARGET, MigrationState.COMPLETED, 2));
      events.add(report(id, migration, MigrationSide.SOURCE, MigrationState.COMPLETED, 3));
      events.add(InstanceEvent.of(id, new EventPayload.VmmReported(source, VmmState.DESTROYED, 2)));
      events.add(InstanceEvent.of(id, new EventPayload.VmmReported(target, VmmState.RUNNING, 1)));
      source = target;
    }
    return events;
  }

  /** {@link #fresh} and a migration that has started. */
  List<InstanceEvent> migrating(InstanceId id) {
    List<InstanceEvent> events = fresh(id);
    VmmId source = ((EventPayload.VmmPlaced) events.get(1).payload()).vmmId();
    int sled = random.nextInt(SLEDS);
    events.add(
        InstanceEvent.of(
            id,
            new EventPayload.MigrationStarted(
                new MigrationId(uuid(5)), source, new VmmId(uuid(3)), sled(sled), underlay(sled))));
    return events;
  }

  private static InstanceEvent report(
      InstanceId id, MigrationId migration, MigrationSide side, MigrationState state, long gen) {
    return InstanceEvent.of(id, new EventPayload.MigrationReported(migration, side, state, gen));
  }
}
