package dev.v2pledger.schema.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.v2pledger.schema.domain.Version.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeysAndVersionsTest {
  private static final InstanceId INSTANCE =
      InstanceId.parse("8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f6");
  private static final NicId NIC = NicId.parse("11111111-2222-4333-8444-555555555555");

  /** The rule applier and replay tool share for a record under another key than its own. */
  @Test
  void aKeyIsUnderItsKafkaKey_asTheProjectorWritesIt_andNoOtherSpellingOrNone() {
    MappingKey key = MappingKey.parse("7777/fd00::1/3");

    assertThat(key.isUnder("7777/fd00::1/3".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(key.isUnder("7777/fd00:0:0::1/3".getBytes(StandardCharsets.UTF_8)))
        .as("another spelling of the address: compaction keeps it apart")
        .isFalse();
    assertThat(MappingKey.ofRecordKey("7777/FD00::1/3".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThat(MappingKey.ofRecordKey("7777/fd00::1/3".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(key);
    assertThat(key.isUnder("7777/fd00::1/4".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(key.isUnder("junk".getBytes(StandardCharsets.UTF_8)))
        .as("compaction would never replace it by the key's later records")
        .isFalse();
    assertThat(key.isUnder(null)).isFalse();
  }

  @Test
  void mappingKeyTextIsVniSlashCanonicalIpSlashEpoch() {
    MappingKey key = new MappingKey(new Vni(7777), IpAddr.parse("172.30.0.5"), 12);

    assertThat(key.toString()).isEqualTo("7777/172.30.0.5/12");
    assertThat(MappingKey.parse("7777/172.30.0.5/12")).isEqualTo(key);
    assertThat(MappingKey.parse("7777/FD77:0:0::5/3").toString()).isEqualTo("7777/fd77::5/3");
    assertThat(key.vip()).isEqualTo(new Vip(new Vni(7777), IpAddr.parse("172.30.0.5")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "7777/172.30.0.5",
        "7777/172.30.0.5/x",
        "x/172.30.0.5/1",
        "7777/nope/1",
        "7777/172.30.0.5/-1",
        "1/2/3/4"
      })
  void malformedMappingKeysAreRefused(String text) {
    assertThatThrownBy(() -> MappingKey.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "held {0}/{1}, incoming {2}/{3}, same content {4} -> {5}")
  @CsvSource({
    "3, 5, 3, 4, true, OLDER",
    "3, 5, 3, 4, false, OLDER",
    "3, 5, 2, 9, false, OLDER",
    "3, 5, 3, 5, true, DUPLICATE",
    "3, 5, 3, 5, false, CONFLICT",
    "3, 5, 3, 6, true, NEWER",
    "3, 5, 4, 1, false, NEWER"
  })
  void threeWayRule(
      long heldEpoch, long heldGen, long epoch, long gen, boolean same, Verdict verdict) {
    Version held = new Version(heldEpoch, heldGen);

    assertThat(held.judge(new Version(epoch, gen), same)).isEqualTo(verdict);
  }

  @Test
  void versionsOrderByEpochThenGeneration() {
    assertThat(new Version(2, 1)).isGreaterThan(new Version(1, 100));
    assertThat(new Version(2, 3)).isGreaterThan(new Version(2, 2));
    assertThatThrownBy(() -> new Version(-1, 0)).hasMessageContaining("ip_epoch");
  }

  @Test
  void setMappingNeedsATargetAndClearedOneHasNone() {
    MappingKey key = MappingKey.parse("7777/172.30.0.5/1");
    V2PTarget target =
        new V2PTarget(
            MacAddr.parse("a8:40:25:f1:6e:6f"),
            Ipv6Addr.parse("fd00:1122:3344:101::1"),
            SledId.parse("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"));

    assertThat(V2PMapping.set(key, target, INSTANCE, NIC, 4).version())
        .isEqualTo(new Version(1, 4));
    assertThatThrownBy(() -> new V2PMapping(key, MappingState.SET, null, INSTANCE, NIC, 1))
        .hasMessageContaining("a SET mapping has a target");
    assertThatThrownBy(() -> new V2PMapping(key, MappingState.CLEARED, target, INSTANCE, NIC, 1))
        .hasMessageContaining("a CLEARED one has none");
  }

  @Test
  void sameContentIgnoresOnlyTheVersion() {
    MappingKey key = MappingKey.parse("7777/172.30.0.5/1");
    V2PMapping a = V2PMapping.cleared(key, INSTANCE, NIC, 3);

    assertThat(a.sameContent(V2PMapping.cleared(key, INSTANCE, NIC, 9))).isTrue();
    assertThat(
            a.sameContent(
                V2PMapping.cleared(MappingKey.parse("7777/172.30.0.5/2"), INSTANCE, NIC, 3)))
        .isFalse();
  }

  /**
   * {@link V2PMapping} and {@link V2PTarget} keep their parts in a compact form (BENCHMARKS.md
   * "Heap per mapping"): each part comes back equal to what was given, and two mappings are equal
   * exactly when every part is, as records would be.
   */
  @Test
  void aMappingGivesBackItsPartsAndIsEqualByAllOfThem() {
    MappingKey key = MappingKey.parse("7777/172.30.0.5/12");
    MacAddr mac = MacAddr.parse("a8:40:25:f1:6e:6f");
    Ipv6Addr underlay = Ipv6Addr.parse("fd00:1122:3344:101::1");
    SledId sled = SledId.parse("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
    V2PTarget target = new V2PTarget(mac, underlay, sled);
    V2PMapping set = V2PMapping.set(key, target, INSTANCE, NIC, 4);

    assertThat(set.key()).isEqualTo(key);
    assertThat(set.vip()).isEqualTo(key.vip());
    assertThat(set.ipEpoch()).isEqualTo(12);
    assertThat(set.state()).isEqualTo(MappingState.SET);
    assertThat(set.instanceId()).isEqualTo(INSTANCE);
    assertThat(set.nicId()).isEqualTo(NIC);
    assertThat(set.locationGen()).isEqualTo(4);
    assertThat(set.target()).isEqualTo(target);
    assertThat(target.mac()).isEqualTo(mac);
    assertThat(target.underlayIp()).isSameAs(underlay);
    assertThat(target.sledId()).isSameAs(sled);
    assertThat(set)
        .hasToString(
            "7777/172.30.0.5/12 SET -> aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee (fd00:1122:3344:101::1)"
                + " v"
                + set.version());
    V2PMapping cleared = V2PMapping.cleared(key, INSTANCE, NIC, 5);
    assertThat(cleared.state()).isEqualTo(MappingState.CLEARED);
    assertThat(cleared.target()).isNull();
    assertThat(cleared.isSet()).isFalse();

    V2PMapping same =
        V2PMapping.set(
            MappingKey.parse("7777/172.30.0.5/12"),
            new V2PTarget(
                MacAddr.parse("A8:40:25:F1:6E:6F"), Ipv6Addr.parse("fd00:1122:3344:101::1"), sled),
            InstanceId.parse(INSTANCE.toString()),
            NicId.parse(NIC.toString()),
            4);
    assertThat(same).isEqualTo(set).hasSameHashCodeAs(set);
    V2PTarget elsewhere = new V2PTarget(MacAddr.parse("a8:40:25:f1:6e:70"), underlay, sled);
    InstanceId other = InstanceId.parse("8d3c5f2a-0b1c-4d5e-8f90-a1b2c3d4e5f7");
    NicId otherNic = NicId.parse("11111111-2222-4333-8444-555555555556");
    assertThat(
            List.of(
                V2PMapping.set(MappingKey.parse("7777/172.30.0.6/12"), target, INSTANCE, NIC, 4),
                V2PMapping.set(MappingKey.parse("7777/172.30.0.5/13"), target, INSTANCE, NIC, 4),
                V2PMapping.set(MappingKey.parse("7778/172.30.0.5/12"), target, INSTANCE, NIC, 4),
                V2PMapping.set(key, elsewhere, INSTANCE, NIC, 4),
                V2PMapping.set(
                    key, new V2PTarget(mac, Ipv6Addr.parse("fd00::2"), sled), INSTANCE, NIC, 4),
                V2PMapping.set(
                    key,
                    new V2PTarget(
                        mac, underlay, SledId.parse("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeef")),
                    INSTANCE,
                    NIC,
                    4),
                V2PMapping.set(key, target, other, NIC, 4),
                V2PMapping.set(key, target, INSTANCE, otherNic, 4),
                V2PMapping.set(key, target, INSTANCE, NIC, 5),
                V2PMapping.cleared(key, INSTANCE, NIC, 4)))
        .as("one part other each")
        .allSatisfy(differing -> assertThat(differing).isNotEqualTo(set));
  }

  @Test
  void ackCoversOffsetsBelowItsWatermarkOnItsPartitionOnly() {
    ApplierAck ack =
        new ApplierAck(SledId.parse("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"), 2, 10, Instant.EPOCH);

    assertThat(ack.covers(2, 9)).isTrue();
    assertThat(ack.covers(2, 10)).isFalse();
    assertThat(ack.covers(1, 0)).isFalse();
  }
}
