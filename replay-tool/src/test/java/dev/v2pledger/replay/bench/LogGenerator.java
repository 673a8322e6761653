package dev.v2pledger.replay.bench;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A large, plausible event log for benchmarks: instances that start, migrate (succeeding or
 * failing, with both sides' reports interleaved and repeated), restart and get deleted, their IPs
 * reused by later instances. Seeded; every run with the same seed writes the same log.
 */
public final class LogGenerator {
  private final Random random;
  private final int sleds;
  private long nextId;
  private long nextEpoch = 1;
  private Instant clock = Instant.parse("2026-11-23T00:00:00Z");

  public LogGenerator(long seed, int sleds) {
    this.random = new Random(seed);
    this.sleds = sleds;
  }

  private UUID uuid(int kind) {
    return new UUID(((long) kind << 48) | 0x4000L, 0x8000_0000_0000_0000L | ++nextId);
  }

  private SledId sled(int n) {
    return new SledId(new UUID(0x51ed_0000_0000_4000L, 0x8000_0000_0000_0000L | n));
  }

  private Ipv6Addr underlay(int n) {
    return new Ipv6Addr(0xfd00_1122_3344_0000L | n, 1);
  }

  /** Emits about {@code events} events, one instance lifecycle at a time, interleaving a few. */
  public void generate(long events, Consumer<InstanceEvent> sink) {
    List<List<InstanceEvent>> live = new ArrayList<>();
    long emitted = 0;
    while (emitted < events) {
      while (live.size() < 8) {
        live.add(lifecycle());
      }
      List<InstanceEvent> next = live.get(random.nextInt(live.size()));
      sink.accept(next.remove(0));
      emitted++;
      if (next.isEmpty()) {
        live.remove(next);
      }
    }
  }

  private List<InstanceEvent> lifecycle() {
    InstanceId instance = new InstanceId(uuid(1));
    List<InstanceEvent> out = new ArrayList<>();
    int vni = 1000 + random.nextInt(50);
    IpAddr ip =
        random.nextInt(4) == 0
            ? new Ipv6Addr(0xfd77L << 48, random.nextInt(200_000))
            : new Ipv4Addr(0x0a000000 | random.nextInt(200_000));
    NicId nic = new NicId(uuid(2));
    add(
        out,
        instance,
        new EventPayload.NicAttached(
            nic,
            new Vni(vni),
            new MacAddr(random.nextLong() & 0xffffffffffffL),
            List.of(ip),
            nextEpoch++));
    VmmId vmm = new VmmId(uuid(3));
    int at = random.nextInt(sleds);
    add(out, instance, new EventPayload.VmmPlaced(vmm, sled(at), underlay(at)));
    add(out, instance, new EventPayload.VmmReported(vmm, VmmState.RUNNING, 2));
    int migrations = random.nextInt(3);
    for (int m = 0; m < migrations; m++) {
      VmmId target = new VmmId(uuid(3));
      int to = random.nextInt(sleds);
      migrate(out, instance, vmm, target, to);
      if (out.get(out.size() - 1).payload() instanceof EventPayload.VmmReported reported
          && reported.vmmId().equals(vmm)) {
        vmm = target;
      }
    }
    if (random.nextBoolean()) {
      add(out, instance, new EventPayload.VmmReported(vmm, VmmState.DESTROYED, 9));
    }
    add(out, instance, new EventPayload.InstanceDeleted());
    return out;
  }

  /**
   * One migration: start, both sides' reports shuffled with a repeat; success destroys the source.
   */
  private void migrate(
      List<InstanceEvent> out, InstanceId instance, VmmId source, VmmId target, int to) {
    MigrationId migration = new MigrationId(uuid(4));
    boolean success = random.nextInt(5) != 0;
    add(
        out,
        instance,
        new EventPayload.MigrationStarted(migration, source, target, sled(to), underlay(to)));
    List<EventPayload> reports = new ArrayList<>();
    for (MigrationSide side : MigrationSide.values()) {
      reports.add(
          new EventPayload.MigrationReported(migration, side, MigrationState.IN_PROGRESS, 1));
      reports.add(
          new EventPayload.MigrationReported(
              migration, side, success ? MigrationState.COMPLETED : MigrationState.FAILED, 2));
    }
    reports.add(reports.get(random.nextInt(reports.size())));
    Collections.shuffle(reports, random);
    reports.forEach(p -> add(out, instance, p));
    add(
        out,
        instance,
        new EventPayload.VmmReported(success ? source : target, VmmState.DESTROYED, 5));
  }

  private void add(List<InstanceEvent> out, InstanceId instance, EventPayload payload) {
    clock = clock.plusMillis(1);
    out.add(new InstanceEvent(null, instance, clock, "bench", payload));
  }
}
