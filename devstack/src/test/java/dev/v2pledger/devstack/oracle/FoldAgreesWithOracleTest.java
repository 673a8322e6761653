package dev.v2pledger.devstack.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.fold.Fold;
import dev.v2pledger.fold.FoldResult;
import dev.v2pledger.fold.InstanceState;
import dev.v2pledger.fold.PlacedVmm;
import dev.v2pledger.fold.RandomEvents;
import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.EventPayload.NicAttached;
import dev.v2pledger.schema.domain.EventPayload.NicDetached;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv4Addr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The projector's fold and the oracle, two readings of DESIGN's fold rules written apart, folded
 * side by side over seeded random streams of two instances: after every event they must decide the
 * same (applied, or ignored for the same reason), place every instance on the same VMM, and give
 * the same table. Small pools of VMMs, migrations and NICs make duplicates, stale and early
 * reports, migrations out of anything and dead VMMs common; any earlier event may be delivered
 * again; an instance's Nexus may publish without {@code instance_gen} until an upgrade. Each (VNI,
 * IP) is allocated only to one NIC of one instance, at a new epoch each time, as Nexus does;
 * redeliveries that rule 0 says are taken as new (a legacy {@code NicAttached} after its NIC's
 * detach, a legacy {@code NicDetached}, here where NIC ids come back) are left out: there the two
 * agree on the state, and the table then depends on records the fold never wrote. {@code
 * -Dv2p.streams=N} widens it; {@code -Dv2p.seed=N} replays one stream.
 */
class FoldAgreesWithOracleTest {
  private static final InstanceId[] INSTANCES = {instance(1), instance(2)};

  @Test
  void everyEventIsDecidedAlikeAndEndsWithTheSameLocationsAndTable() {
    Long fixed = Long.getLong("v2p.seed");
    long base = fixed != null ? fixed : new Random().nextLong();
    int streams = fixed != null ? 1 : Integer.getInteger("v2p.streams", 3_000);
    for (int i = 0; i < streams; i++) {
      long seed = base + i;
      String divergence = divergence(seed);
      assertThat(divergence).as("seed %d (replay with -Dv2p.seed=%d)", seed, seed).isNull();
    }
    System.out.printf("fold and oracle agree on %,d streams (base seed %d)%n", streams, base);
  }

  /** Folds one random stream both ways; the first disagreement, with the events so far, or null. */
  private static String divergence(long seed) {
    Random random = new Random(seed);
    Map<InstanceId, InstanceState> states = new HashMap<>();
    Oracle oracle = new Oracle();
    List<V2PMapping> records = new ArrayList<>();
    List<String> log = new ArrayList<>();
    List<List<InstanceEvent>> sent = List.of(new ArrayList<>(), new ArrayList<>());
    long[] instanceGens = new long[2];
    int[] upgradeAt = {legacyFor(random), legacyFor(random)};
    long[] epochs = {0};
    int events = 20 + random.nextInt(100);
    for (int i = 0; i < events; i++) {
      int which = random.nextInt(4) == 0 ? 1 : 0;
      List<InstanceEvent> mine = sent.get(which);
      InstanceEvent event;
      if (!mine.isEmpty() && random.nextInt(6) == 0) {
        event = mine.get(random.nextInt(mine.size()));
        if (takenAsNew(event, mine)) {
          continue;
        }
      } else {
        event = InstanceEvent.of(INSTANCES[which], payload(random, which, epochs));
        if (event.type().publishedByNexus() && i >= upgradeAt[which]) {
          event = event.withInstanceGen(++instanceGens[which]);
        }
        mine.add(event);
      }
      InstanceId id = event.instanceId();
      FoldResult folded = Fold.apply(states.computeIfAbsent(id, InstanceState::empty), event);
      states.put(id, folded.state());
      records.addAll(folded.records());
      Decision decided = oracle.apply(event);
      log.add(event.payload() + " instance_gen=" + event.instanceGen() + " of " + id);
      String fold = folded.ignored() == null ? "APPLIED" : folded.ignored().name();
      String model =
          switch (decided) {
            case APPLIED, NOTED -> "APPLIED";
            case DELETED -> "INSTANCE_DELETED";
            default -> decided.name();
          };
      if (!fold.equals(model)) {
        return "fold " + fold + ", oracle " + decided + after(log);
      }
      for (InstanceId instance : INSTANCES) {
        InstanceState state = states.get(instance);
        PlacedVmm vmm = state == null ? null : state.location().vmm();
        Placement placed = oracle.location(instance);
        String foldSays = vmm == null ? "nowhere" : vmm.vmmId() + " on " + vmm.sledId();
        String oracleSays = placed == null ? "nowhere" : placed.vmm() + " on " + placed.sled();
        if (!foldSays.equals(oracleSays)) {
          return instance + ": fold " + foldSays + ", oracle " + oracleSays + after(log);
        }
      }
      Map<Vip, XdeMapping> table = new TreeMap<>();
      MappingTable.of(records)
          .inForce()
          .forEach(
              (vip, record) ->
                  table.put(
                      vip,
                      new XdeMapping(vip, record.target().mac(), record.target().underlayIp())));
      if (!table.equals(oracle.expected())) {
        return "table: fold " + table + ", oracle " + oracle.expected() + after(log);
      }
    }
    return null;
  }

  /** The event before which an instance's Nexus publishes without instance_gen (0: never). */
  private static int legacyFor(Random random) {
    return random.nextInt(3) == 0 ? random.nextInt(120) : 0;
  }

  /** A repeat DESIGN's rule 0 takes as new: left out (see the class comment). */
  private static boolean takenAsNew(InstanceEvent repeat, List<InstanceEvent> sent) {
    if (repeat.instanceGen() != null) {
      return false;
    }
    if (repeat.payload() instanceof NicDetached) {
      return true;
    }
    return repeat.payload() instanceof NicAttached attached
        && sent.subList(sent.indexOf(repeat), sent.size()).stream()
            .anyMatch(
                e -> e.payload() instanceof NicDetached d && d.nicId().equals(attached.nicId()));
  }

  private static String after(List<String> log) {
    return " after:\n  " + String.join("\n  ", log);
  }

  /** An event of instance number {@code instance}, drawn as {@link RandomEvents} draws one. */
  private static EventPayload payload(Random random, int instance, long[] epochs) {
    return RandomEvents.payload(
        random, n -> nic(instance, n), () -> nicAttached(random, instance, epochs), 6);
  }

  /** One of an instance's two NICs, with IPs only it is given, at a new epoch. */
  private static NicAttached nicAttached(Random random, int instance, long[] epochs) {
    int nic = random.nextInt(2);
    int own = (instance << 8) | (nic << 4);
    List<IpAddr> ips = new ArrayList<>();
    for (int i = 1 + random.nextInt(3); i > 0; i--) {
      IpAddr ip =
          random.nextBoolean()
              ? new Ipv4Addr(0xac1e0000 | own | random.nextInt(4))
              : new Ipv6Addr(0xfd77L << 48, own | random.nextInt(4));
      if (!ips.contains(ip)) {
        ips.add(ip);
      }
    }
    return new NicAttached(
        nic(instance, nic),
        new Vni(7777),
        new MacAddr(0xa84025000000L + random.nextInt(2)),
        ips,
        ++epochs[0]);
  }

  private static InstanceId instance(int n) {
    return new InstanceId(RandomEvents.uuid(9, n));
  }

  private static NicId nic(int instance, int n) {
    return new NicId(RandomEvents.uuid(4, instance * 16 + n));
  }
}
