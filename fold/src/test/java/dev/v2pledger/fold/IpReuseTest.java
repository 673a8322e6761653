package dev.v2pledger.fold;

import static dev.v2pledger.fold.RandomEvents.nic;
import static dev.v2pledger.fold.RandomEvents.sled;
import static dev.v2pledger.fold.RandomEvents.underlay;
import static dev.v2pledger.fold.RandomEvents.vmm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.domain.EventPayload;
import dev.v2pledger.schema.domain.InstanceEvent;
import dev.v2pledger.schema.domain.InstanceId;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One (vni, ip) moves from instance A (epoch 1) to instance B (epoch 2). A and B live on different
 * partitions, so their records can reach the table in any order; the adversarial one is the old
 * owner's records last.
 */
class IpReuseTest {
  private final InstanceId a = InstanceId.parse("aaaaaaaa-0000-4000-8000-000000000001");
  private final InstanceId b = InstanceId.parse("bbbbbbbb-0000-4000-8000-000000000002");
  private final IpAddr ip = IpAddr.parse("172.30.0.5");
  private final Vni vni = new Vni(7777);

  @Test
  void
      givenIpReusedByAnotherInstance_whenTheOldOwnersRecordsAreAppliedLast_thenTheNewerEpochIsInForce() {
    List<V2PMapping> oldOwner =
        fold(a, attached(1, 0xa1, 1), placed(1), new EventPayload.NicDetached(nic(1)));
    List<V2PMapping> newOwner = fold(b, attached(2, 0xb2, 2), placed(2));
    List<V2PMapping> adversarial = new ArrayList<>(newOwner);
    adversarial.addAll(oldOwner);

    V2PMapping inForce = MappingTable.of(adversarial).inForce(new Vip(vni, ip));

    assertThat(inForce).isNotNull();
    assertThat(inForce.instanceId()).isEqualTo(b);
    assertThat(inForce.key().ipEpoch()).isEqualTo(2);
    assertThat(inForce.target().sledId()).isEqualTo(sled(2));
    assertThat(MappingTable.of(adversarial).inForce())
        .isEqualTo(MappingTable.of(List.copyOf(oldOwnerFirst(oldOwner, newOwner))).inForce());
  }

  @Test
  void
      givenOldOwnerStillLocated_whenNewOwnerReceivesTheIpAtAHigherEpoch_thenNewOwnerWinsEitherWay() {
    List<V2PMapping> oldOwner = fold(a, attached(1, 0xa1, 1), placed(1));
    List<V2PMapping> newOwner = fold(b, placed(2), attached(2, 0xb2, 2));

    assertThat(
            MappingTable.of(oldOwnerFirst(newOwner, oldOwner))
                .inForce(new Vip(vni, ip))
                .instanceId())
        .isEqualTo(b);
    assertThat(
            MappingTable.of(oldOwnerFirst(oldOwner, newOwner))
                .inForce(new Vip(vni, ip))
                .instanceId())
        .isEqualTo(b);
  }

  private static List<V2PMapping> oldOwnerFirst(List<V2PMapping> first, List<V2PMapping> second) {
    List<V2PMapping> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  /** NIC {@code n} of instance {@code n}, with the IP under test at {@code epoch}. */
  private EventPayload attached(int n, long mac, long epoch) {
    return new EventPayload.NicAttached(nic(n), vni, new MacAddr(mac), List.of(ip), epoch);
  }

  /** VMM {@code n} placed on sled {@code n}. */
  private EventPayload placed(int n) {
    return new EventPayload.VmmPlaced(vmm(n), sled(n), underlay(n));
  }

  private static List<V2PMapping> fold(InstanceId instance, EventPayload... payloads) {
    List<V2PMapping> records = new ArrayList<>();
    InstanceState state = InstanceState.empty(instance);
    for (EventPayload payload : payloads) {
      FoldResult result = Fold.apply(state, InstanceEvent.of(instance, payload));
      records.addAll(result.records());
      state = result.state();
    }
    return records;
  }
}
