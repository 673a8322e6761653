package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
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
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Seeded random event streams for one instance, drawn from small pools of NICs, VMMs, sleds and
 * migrations so that duplicates, stale reports, overlapping migrations and dead VMMs are common;
 * half of Nexus' events carry an instance generation (sometimes repeated or older). Devstack's
 * FoldAgreesWithOracleTest draws its events with {@link #payload} too.
 */
public final class RandomEvents {
  private final Random random;
  private final InstanceId instance;
  private long nextEpoch = 1;
  private long instanceGen;

  public RandomEvents(long seed, InstanceId instance) {
    this.random = new Random(seed);
    this.instance = instance;
  }

  public static UUID uuid(int kind, int n) {
    return new UUID(0x0000_0000_0000_4000L | ((long) kind << 32), 0x8000_0000_0000_0000L | n);
  }

  public static VmmId vmm(int n) {
    return new VmmId(uuid(1, n));
  }

  public static SledId sled(int n) {
    return new SledId(uuid(2, n));
  }

  public static MigrationId migration(int n) {
    return new MigrationId(uuid(3, n));
  }

  public static NicId nic(int n) {
    return new NicId(uuid(4, n));
  }

  public static Ipv6Addr underlay(int sled) {
    return new Ipv6Addr(0xfd00_1122_3344_0100L + sled, 1);
  }

  public List<InstanceEvent> events(int count) {
    List<InstanceEvent> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      InstanceEvent event = InstanceEvent.of(instance, payload());
      if (event.type().publishedByNexus() && random.nextBoolean()) {
        // Nexus' generation: usually the next one, sometimes a repeat or an older one
        long gen =
            random.nextInt(6) == 0 ? Math.max(1, instanceGen - random.nextInt(3)) : ++instanceGen;
        event = event.withInstanceGen(gen);
      }
      events.add(event);
    }
    return events;
  }

  private EventPayload payload() {
    return payload(random, RandomEvents::nic, this::nicAttached, 4);
  }

  /**
   * One event drawn from {@code random}, its VMMs, sleds and migrations from pools of 5, 3 and 4: a
   * NIC detached is {@code nic(0)} or {@code nic(1)}, a NIC attached comes from {@code
   * nicAttached}, and one in {@code deletedOneIn} of the last kind's draws deletes the instance.
   */
  public static EventPayload payload(
      Random random,
      IntFunction<NicId> nic,
      Supplier<? extends EventPayload> nicAttached,
      int deletedOneIn) {
    int vmmA = random.nextInt(5);
    int sled = random.nextInt(3);
    return switch (random.nextInt(20)) {
      case 0, 1 -> nicAttached.get();
      case 2 -> new EventPayload.NicDetached(nic.apply(random.nextInt(2)));
      case 3, 4, 5 -> new EventPayload.VmmPlaced(vmm(vmmA), sled(sled), underlay(sled));
      case 6, 7, 8 ->
          new EventPayload.MigrationStarted(
              migration(random.nextInt(4)),
              vmm(vmmA),
              vmm((vmmA + 1 + random.nextInt(4)) % 5),
              sled(sled),
              underlay(sled));
      case 9, 10, 11, 12, 13 ->
          new EventPayload.MigrationReported(
              migration(random.nextInt(4)),
              random.nextBoolean() ? MigrationSide.SOURCE : MigrationSide.TARGET,
              MigrationState.values()[random.nextInt(MigrationState.values().length)],
              random.nextInt(6));
      case 14, 15, 16, 17, 18 ->
          new EventPayload.VmmReported(
              vmm(vmmA),
              VmmState.values()[random.nextInt(VmmState.values().length)],
              random.nextInt(8));
      default ->
          random.nextInt(deletedOneIn) == 0
              ? new EventPayload.InstanceDeleted()
              : nicAttached.get();
    };
  }

  private EventPayload nicAttached() {
    int count = 1 + random.nextInt(3);
    List<IpAddr> ips = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      IpAddr ip =
          random.nextBoolean()
              ? new Ipv4Addr(0xac1e0000 | random.nextInt(4))
              : new Ipv6Addr(0xfd77L << 48, random.nextInt(4));
      if (!ips.contains(ip)) {
        ips.add(ip);
      }
    }
    long epoch = random.nextInt(5) == 0 ? Math.max(0, nextEpoch - 2) : nextEpoch++;
    return new EventPayload.NicAttached(
        nic(random.nextInt(2)),
        new Vni(7777),
        new MacAddr(0xa84025000000L + random.nextInt(2)),
        ips,
        epoch);
  }
}
