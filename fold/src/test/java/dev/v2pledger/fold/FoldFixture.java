package dev.v2pledger.fold;

import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.MigrationId;
import dev.v2pledger.schema.domain.MigrationSide;
import dev.v2pledger.schema.domain.MigrationState;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.VmmId;
import dev.v2pledger.schema.domain.VmmState;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Names and builders for fold tests: one instance, one NIC with an IPv4 and an IPv6 address. */
final class FoldFixture {
  static final InstanceId INSTANCE = InstanceId.parse("8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6");
  static final NicId NIC = NicId.parse("11111111-2222-4333-8444-555555555555");
  static final Vni VNI = new Vni(7777);
  static final MacAddr MAC = MacAddr.parse("a8:40:25:f1:6e:6f");
  static final IpAddr V4 = IpAddr.parse("172.30.0.5");
  static final IpAddr V6 = IpAddr.parse("fd77::5");
  static final long EPOCH = 1;

  static final SledId SLED_S = SledId.parse("51ed0000-0000-4000-8000-00000000000a");
  static final SledId SLED_T = SledId.parse("51ed0000-0000-4000-8000-00000000000b");
  static final SledId SLED_U = SledId.parse("51ed0000-0000-4000-8000-00000000000c");
  static final VmmId VMM_S = VmmId.parse("0000000a-0000-4000-8000-000000000001");
  static final VmmId VMM_T = VmmId.parse("0000000b-0000-4000-8000-000000000002");
  static final VmmId VMM_U = VmmId.parse("0000000c-0000-4000-8000-000000000003");
  static final MigrationId M1 = MigrationId.parse("00000001-0000-4000-8000-0000000000e1");
  static final MigrationId M2 = MigrationId.parse("00000002-0000-4000-8000-0000000000e2");

  private FoldFixture() {}

  static Ipv6Addr underlay(SledId sled) {
    return Ipv6Addr.parse("fd00:1122:3344:10" + sled.toString().charAt(35) + "::1");
  }

  static InstanceEvent event(EventPayload payload) {
    return InstanceEvent.of(INSTANCE, payload);
  }

  static InstanceEvent nicAttached(long epoch, IpAddr... ips) {
    return event(new EventPayload.NicAttached(NIC, VNI, MAC, Arrays.asList(ips), epoch));
  }

  static InstanceEvent nicAttached() {
    return nicAttached(EPOCH, V4, V6);
  }

  static InstanceEvent nicDetached() {
    return event(new EventPayload.NicDetached(NIC));
  }

  static InstanceEvent placed(VmmId vmm, SledId sled) {
    return event(new EventPayload.VmmPlaced(vmm, sled, underlay(sled)));
  }

  static InstanceEvent started(MigrationId id, VmmId source, VmmId target, SledId targetSled) {
    return event(
        new EventPayload.MigrationStarted(id, source, target, targetSled, underlay(targetSled)));
  }

  static InstanceEvent report(MigrationId id, MigrationSide side, MigrationState state, long gen) {
    return event(new EventPayload.MigrationReported(id, side, state, gen));
  }

  static InstanceEvent vmm(VmmId vmm, VmmState state, long gen) {
    return event(new EventPayload.VmmReported(vmm, state, gen));
  }

  /** NIC number {@code n} besides {@link #NIC}, with one IPv4 address. */
  static InstanceEvent otherNic(int n, long epoch, String ip) {
    return event(
        new EventPayload.NicAttached(
            otherNicId(n),
            VNI,
            new MacAddr(0xa84025000000L + n),
            List.of(IpAddr.parse(ip)),
            epoch));
  }

  static NicId otherNicId(int n) {
    return new NicId(new UUID(0x0123456789abcdefL, n));
  }

  /**
   * NIC number {@code n} with as many IPs as a NIC may have, each IPv6 address at its longest text
   * (no zero group); a new epoch gives new addresses.
   */
  static InstanceEvent fullNic(int n, long epoch) {
    return fullNic(VNI, n, epoch);
  }

  static InstanceEvent fullNic(Vni vni, int n, long epoch) {
    List<IpAddr> ips = new ArrayList<>();
    for (int i = 0; i < EventPayload.NicAttached.MAX_IPS; i++) {
      ips.add(
          IpAddr.parse(
              String.format(
                  "fd77:%04x:%04x:%04x:ffff:ffff:ffff:ffff",
                  0x1000 + n, 0x1000 + i, 0x1000 + (int) (epoch % 0xefff))));
    }
    return event(
        new EventPayload.NicAttached(
            otherNicId(n), vni, new MacAddr(0xa84025000000L + n), ips, epoch));
  }

  static InstanceEvent deleted() {
    return event(new EventPayload.InstanceDeleted());
  }

  /** {@code event} as Nexus publishes it today: with its instance generation. */
  static InstanceEvent gen(long instanceGen, InstanceEvent event) {
    return event.withInstanceGen(instanceGen);
  }

  static VmmId vmmNumber(int n) {
    return VmmId.parse(String.format("00000000-0000-4000-8000-%012d", n));
  }

  static MigrationId migrationNumber(int n) {
    return MigrationId.parse(String.format("00000000-0000-4000-9000-%012d", n));
  }

  static InstanceState given(InstanceEvent... events) {
    return Fold.applyAll(InstanceState.empty(INSTANCE), List.of(events));
  }

  /**
   * The NIC attached, VMM_S placed on SLED_S, migration M1 to VMM_T on SLED_T started; then more.
   */
  static InstanceState migratingToT(InstanceEvent... more) {
    List<InstanceEvent> events =
        new ArrayList<>(
            List.of(nicAttached(), placed(VMM_S, SLED_S), started(M1, VMM_S, VMM_T, SLED_T)));
    events.addAll(List.of(more));
    return Fold.applyAll(InstanceState.empty(INSTANCE), events);
  }

  static V2PMapping set(IpAddr ip, SledId sled, long gen) {
    return set(ip, EPOCH, sled, gen);
  }

  static V2PMapping set(IpAddr ip, long epoch, SledId sled, long gen) {
    return V2PMapping.set(
        new MappingKey(VNI, ip, epoch),
        new V2PTarget(MAC, underlay(sled), sled),
        INSTANCE,
        NIC,
        gen);
  }

  static V2PMapping cleared(IpAddr ip, long gen) {
    return cleared(ip, EPOCH, gen);
  }

  static V2PMapping cleared(IpAddr ip, long epoch, long gen) {
    return V2PMapping.cleared(new MappingKey(VNI, ip, epoch), INSTANCE, NIC, gen);
  }

  /** Both pairs of the NIC set on {@code sled} at {@code gen}. */
  static V2PMapping[] bothSet(SledId sled, long gen) {
    return new V2PMapping[] {set(V4, sled, gen), set(V6, sled, gen)};
  }

  static V2PMapping[] bothCleared(long gen) {
    return new V2PMapping[] {cleared(V4, gen), cleared(V6, gen)};
  }
}
