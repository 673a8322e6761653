package dev.v2pledger.hardening.fuzz;

import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.schema.domain.ApplierAck;
import dev.v2pledger.schema.domain.EventId;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPosition;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv4Addr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.MappingState;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.ProjectedMapping;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.domain.Vni;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Valid domain values drawn from a seeded {@link Random}: the seeds that the mutators corrupt. Ids
 * come from a small pool, so that a fold over random events builds states with migrations, reports
 * and several VMMs.
 */
final class Samples {
  private final Random random;
  private final List<UUID> pool = new ArrayList<>();

  Samples(Random random) {
    this.random = random;
    for (int i = 0; i < 6; i++) {
      pool.add(new UUID(random.nextLong(), random.nextLong()));
    }
  }

  InstanceEvent event() {
    return event(new InstanceId(pooled()));
  }

  InstanceEvent event(InstanceId instance) {
    boolean full = random.nextBoolean();
    EventPayload payload = payload();
    return new InstanceEvent(
        full ? new EventId(UUID.randomUUID()) : null,
        instance,
        full ? Instant.ofEpochSecond(1_700_000_000L + random.nextInt(1 << 30), 123_000) : null,
        full ? "sled-agent/" + random.nextInt(32) : null,
        payload,
        full && payload.type().publishedByNexus() ? 1L + random.nextInt(1 << 20) : null);
  }

  EventPayload payload() {
    return switch (random.nextInt(7)) {
      case 0 ->
          new EventPayload.NicAttached(
              new NicId(pooled()), vni(), mac(), ips(1 + random.nextInt(3)), epoch());
      case 1 -> new EventPayload.NicDetached(new NicId(pooled()));
      case 2 -> new EventPayload.VmmPlaced(new VmmId(pooled()), sled(), underlay());
      case 3 ->
          new EventPayload.MigrationStarted(
              new MigrationId(pooled()),
              new VmmId(pooled()),
              vmmOtherThanPool(),
              sled(),
              underlay());
      case 4 ->
          new EventPayload.MigrationReported(
              new MigrationId(pooled()),
              MigrationSide.values()[random.nextInt(2)],
              MigrationState.values()[random.nextInt(MigrationState.values().length)],
              random.nextInt(20));
      case 5 ->
          new EventPayload.VmmReported(
              new VmmId(pooled()),
              VmmState.values()[random.nextInt(VmmState.values().length)],
              random.nextInt(20));
      default -> new EventPayload.InstanceDeleted();
    };
  }

  ProjectedMapping mapping() {
    boolean set = random.nextBoolean();
    V2PMapping mapping =
        new V2PMapping(
            new MappingKey(vni(), ip(), epoch()),
            set ? MappingState.SET : MappingState.CLEARED,
            set ? new V2PTarget(mac(), underlay(), sled()) : null,
            new InstanceId(pooled()),
            new NicId(pooled()),
            random.nextInt(1000));
    return new ProjectedMapping(
        mapping,
        new EventPosition(
            random.nextInt(12), random.nextInt(1 << 20), Instant.ofEpochMilli(random.nextInt())));
  }

  ApplierAck ack() {
    return new ApplierAck(
        sled(),
        random.nextInt(12),
        random.nextInt(1 << 20),
        Instant.ofEpochMilli(random.nextInt()));
  }

  /** The state a fold reaches over a few random events of one instance (rarely empty). */
  InstanceState state() {
    InstanceId instance = new InstanceId(pooled());
    InstanceState state = InstanceState.empty(instance);
    int events = 1 + random.nextInt(24);
    for (int i = 0; i < events; i++) {
      state = Fold.apply(state, event(instance)).state();
    }
    return state;
  }

  Vni vni() {
    return new Vni(random.nextInt(Vni.MAX + 1));
  }

  IpAddr ip() {
    return random.nextBoolean() ? new Ipv4Addr(random.nextInt()) : underlay();
  }

  Ipv6Addr underlay() {
    return new Ipv6Addr(0xfd00_0000_0000_0000L | random.nextInt(1 << 16), random.nextLong());
  }

  MacAddr mac() {
    return new MacAddr(random.nextLong() & ((1L << 48) - 1));
  }

  SledId sled() {
    return new SledId(pooled());
  }

  private List<IpAddr> ips(int count) {
    List<IpAddr> ips = new ArrayList<>();
    while (ips.size() < count) {
      IpAddr ip = ip();
      if (!ips.contains(ip)) {
        ips.add(ip);
      }
    }
    return ips;
  }

  private long epoch() {
    return random.nextInt(1000);
  }

  private UUID pooled() {
    return pool.get(random.nextInt(pool.size()));
  }

  private VmmId vmmOtherThanPool() {
    return new VmmId(new UUID(random.nextLong(), random.nextLong()));
  }
}
