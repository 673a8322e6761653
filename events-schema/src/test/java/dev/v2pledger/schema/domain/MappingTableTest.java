package dev.v2pledger.schema.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.v2pledger.schema.domain.Version.Verdict;
import dev.v2pledger.schema.testing.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MappingTableTest {
  private static final InstanceId OLD_OWNER =
      InstanceId.parse("00000000-0000-4000-8000-0000000000a1");
  private static final InstanceId NEW_OWNER =
      InstanceId.parse("00000000-0000-4000-8000-0000000000b2");
  private static final NicId NIC_A = NicId.parse("00000000-0000-4000-8000-0000000000c1");
  private static final NicId NIC_B = NicId.parse("00000000-0000-4000-8000-0000000000c2");
  private static final Vip VIP = new Vip(new Vni(7777), IpAddr.parse("172.30.0.5"));

  private static V2PTarget on(int sled) {
    return new V2PTarget(
        MacAddr.parse("a8:40:25:00:00:0" + sled),
        Ipv6Addr.parse("fd00::" + sled),
        SledId.parse("51ed0000-0000-4000-8000-00000000000" + sled));
  }

  @Test
  void givenIpReusedAtHigherEpoch_whenOldOwnersRecordsArriveLast_thenNewerEpochIsInForce() {
    V2PMapping oldSet = V2PMapping.set(MappingKey.of(VIP, 1), on(1), OLD_OWNER, NIC_A, 7);
    V2PMapping oldCleared = V2PMapping.cleared(MappingKey.of(VIP, 1), OLD_OWNER, NIC_A, 8);
    V2PMapping newSet = V2PMapping.set(MappingKey.of(VIP, 2), on(2), NEW_OWNER, NIC_B, 1);
    MappingTable table = new MappingTable();

    assertThat(table.offer(newSet)).isEqualTo(Verdict.NEWER);
    assertThat(table.offer(oldSet)).isEqualTo(Verdict.OLDER);
    assertThat(table.offer(oldCleared)).isEqualTo(Verdict.OLDER);
    assertThat(table.inForce(VIP)).isEqualTo(newSet);
  }

  @Test
  void clearedNewestRecordMeansNothingInForceButIsRemembered() {
    V2PMapping set = V2PMapping.set(MappingKey.of(VIP, 3), on(1), OLD_OWNER, NIC_A, 1);
    V2PMapping cleared = V2PMapping.cleared(MappingKey.of(VIP, 3), OLD_OWNER, NIC_A, 2);
    MappingTable table = MappingTable.of(List.of(set, cleared, set));

    assertThat(table.inForce(VIP)).isNull();
    assertThat(table.newest(VIP)).isEqualTo(cleared);
    assertThat(table.inForce()).isEmpty();
  }

  @Test
  void aTombstoneForgetsItsKeysRecord_butNotANewerAllocationsRecord() {
    V2PMapping oldCleared = V2PMapping.cleared(MappingKey.of(VIP, 1), OLD_OWNER, NIC_A, 8);
    V2PMapping newSet = V2PMapping.set(MappingKey.of(VIP, 2), on(2), NEW_OWNER, NIC_B, 1);
    MappingTable table = MappingTable.of(List.of(oldCleared));

    assertThat(table.remove(MappingKey.of(VIP, 1))).isEqualTo(oldCleared);
    assertThat(table.newest(VIP)).isNull();
    table.offer(newSet);
    assertThat(table.remove(MappingKey.of(VIP, 1))).isNull();
    assertThat(table.inForce(VIP)).isEqualTo(newSet);
  }

  @Test
  void aTombstoneUpToAGeneration_forgetsItsKeysRecordsUpToIt_butNotALaterOne() {
    V2PMapping cleared = V2PMapping.cleared(MappingKey.of(VIP, 1), OLD_OWNER, NIC_A, 8);
    V2PMapping setAgain = V2PMapping.set(MappingKey.of(VIP, 1), on(1), OLD_OWNER, NIC_A, 9);
    MappingTable table = MappingTable.of(List.of(setAgain));

    assertThat(table.remove(MappingKey.of(VIP, 1), 8))
        .as("written after the tombstone's key was removed, read first from another partition")
        .isNull();
    assertThat(table.inForce(VIP)).isEqualTo(setAgain);
    assertThat(table.remove(MappingKey.of(VIP, 1), 9)).isEqualTo(setAgain);

    table.offer(cleared);
    assertThat(table.remove(MappingKey.of(VIP, 1), 8)).as("at the bound").isEqualTo(cleared);
    assertThat(table.newest(VIP)).isNull();
  }

  @Test
  void repeatIsDuplicateAndSameVersionOtherContentIsAConflictTheLaterRecordWins() {
    V2PMapping set = V2PMapping.set(MappingKey.of(VIP, 3), on(1), OLD_OWNER, NIC_A, 4);
    MappingTable table = MappingTable.of(List.of(set));

    assertThat(table.offer(set)).isEqualTo(Verdict.DUPLICATE);
    V2PMapping later = V2PMapping.set(MappingKey.of(VIP, 3), on(2), OLD_OWNER, NIC_A, 4);
    assertThat(table.offer(later)).isEqualTo(Verdict.CONFLICT);
    assertThat(table.inForce(VIP)).isEqualTo(later);
    assertThat(table.offer(set)).as("and back: later again").isEqualTo(Verdict.CONFLICT);
    assertThat(table.inForce(VIP)).isEqualTo(set);
  }

  @Test
  void resultDoesNotDependOnOfferOrder() {
    Seeds.forEach(
        20,
        seed -> {
          Random random = new Random(seed);
          List<V2PMapping> records = new ArrayList<>();
          for (int i = 0; i < 200; i++) {
            Vip vip = new Vip(new Vni(random.nextInt(3)), new Ipv4Addr(random.nextInt(5)));
            long epoch = random.nextInt(4);
            long gen =
                random.nextInt(1000) * 4L
                    + epoch; // one content per version, as one writer per key ensures
            records.add(
                gen % 3 == 0
                    ? V2PMapping.cleared(MappingKey.of(vip, epoch), OLD_OWNER, NIC_A, gen)
                    : V2PMapping.set(
                        MappingKey.of(vip, epoch), on((int) (gen % 9)), OLD_OWNER, NIC_A, gen));
          }
          MappingTable inOrder = MappingTable.of(records);
          Collections.shuffle(records, random);

          assertThat(MappingTable.of(records).inForce())
              .as(Seeds.replay(seed))
              .isEqualTo(inOrder.inForce());
        });
  }

  @Test
  void vipsOfSequentialVpcsReusingAddressesDoNotCollide() {
    Set<Integer> hashes = new HashSet<>();
    int vips = 0;
    for (int vni = 10_000; vni < 10_064; vni++) {
      for (int host = 0; host < 256; host++) {
        hashes.add(new Vip(new Vni(vni), new Ipv4Addr(0xac1e0000 | host)).hashCode());
        vips++;
      }
    }

    assertThat(hashes.size()).isGreaterThan(vips - 10);
    assertThat(new Vip(new Vni(1), IpAddr.parse("10.0.0.1")))
        .isEqualTo(new Vip(new Vni(1), IpAddr.parse("10.0.0.1")));
  }

  /**
   * The table as a map from VIP to its newest record, checked against a {@code HashMap} through
   * offers and tombstones over a pool of VIPs large enough to grow the table several times and to
   * make long probe runs, from which tombstones remove records in the middle.
   */
  @Test
  void holdsWhatAMapWould_throughGrowthAndTombstones() {
    Seeds.forEach(
        10,
        seed -> {
          Random random = new Random(seed);
          List<Vip> pool = new ArrayList<>();
          for (int i = 0; i < 3_000; i++) {
            pool.add(new Vip(new Vni(random.nextInt(1 << 24)), new Ipv4Addr(random.nextInt())));
          }
          MappingTable table = new MappingTable();
          Map<Vip, V2PMapping> map = new HashMap<>();
          for (int op = 0; op < 30_000; op++) {
            Vip vip = pool.get(random.nextInt(op < 10_000 ? pool.size() : pool.size() / 3));
            long epoch = random.nextInt(3);
            if (random.nextInt(3) == 0) {
              V2PMapping held = map.get(vip);
              if (held != null && held.key().ipEpoch() == epoch) {
                map.remove(vip);
              }
              table.remove(MappingKey.of(vip, epoch));
            } else {
              V2PMapping record =
                  V2PMapping.set(MappingKey.of(vip, epoch), on(1), OLD_OWNER, NIC_A, op);
              V2PMapping held = map.get(vip);
              if (held == null || held.version().compareTo(record.version()) < 0) {
                map.put(vip, record);
              }
              table.offer(record);
            }
            if (op % 1_000 == 0 || op == 29_999) {
              assertThat(table.size())
                  .as("%s, op %d", Seeds.replay(seed), op)
                  .isEqualTo(map.size());
              for (Vip each : pool) {
                assertThat(table.newest(each))
                    .as("%s, op %d", Seeds.replay(seed), op)
                    .isEqualTo(map.get(each));
              }
              assertThat(table.newestRecords())
                  .as(Seeds.replay(seed))
                  .containsExactlyInAnyOrderElementsOf(map.values());
            }
          }
          for (V2PMapping record : List.copyOf(map.values())) {
            assertThat(table.remove(record.key())).isEqualTo(record);
          }
          assertThat(table.size()).isZero();
          assertThat(table.newestRecords()).isEmpty();
          assertThat(pool).allSatisfy(vip -> assertThat(table.newest(vip)).isNull());
        });
  }

  /**
   * VIPs whose hashes are equal (0 and 1 among them, and hashes whose low bits are all ones, so
   * that their runs start at the table's last slot and wrap around to its first) through offers and
   * tombstones, checked against a {@code HashMap} after every step.
   */
  @Test
  void holdsWhatAMapWould_forVipsOfEqualHashes_throughRunsAcrossTheWrap() {
    List<Vip> pool = new ArrayList<>();
    for (int hash : new int[] {0, 1, -1, 0x7fffffff, 0x3ff}) {
      pool.addAll(vipsOfHash(hash, 4));
    }
    Seeds.forEach(
        5,
        seed -> {
          Random random = new Random(seed);
          MappingTable table = new MappingTable();
          Map<Vip, V2PMapping> map = new HashMap<>();
          for (int op = 0; op < 5_000; op++) {
            Vip vip = pool.get(random.nextInt(pool.size()));
            if (random.nextInt(5) < 2) {
              V2PMapping held = map.get(vip);
              if (held != null) {
                map.remove(vip);
              }
              assertThat(table.remove(MappingKey.of(vip, 1)))
                  .as("%s, op %d", Seeds.replay(seed), op)
                  .isEqualTo(held);
            } else {
              V2PMapping record =
                  V2PMapping.set(MappingKey.of(vip, 1), on(1), OLD_OWNER, NIC_A, op);
              map.put(vip, record);
              table.offer(record);
            }
            assertThat(table.size()).as("%s, op %d", Seeds.replay(seed), op).isEqualTo(map.size());
            for (Vip each : pool) {
              assertThat(table.newest(each))
                  .as("%s, op %d, %s", Seeds.replay(seed), op, each)
                  .isEqualTo(map.get(each));
              int at = table.indexOf(each);
              assertThat(at == -1 ? null : table.at(at)).isEqualTo(map.get(each));
            }
          }
          assertThat(table.capacity())
              .isLessThanOrEqualTo(1024); // each run's home is the last slot
        });
  }

  /**
   * {@code count} VIPs whose {@link Vip#hashCode} is {@code hash}: Vip's hash is MurmurHash3's
   * 64-bit finalizer of (VNI, IPv4 bits), which has an inverse; the finalizer's outputs with {@code
   * hash} as their low half are inverted until enough of them are a valid (VNI, IP).
   */
  private static List<Vip> vipsOfHash(int hash, int count) {
    List<Vip> vips = new ArrayList<>();
    for (long high = 0; vips.size() < count; high++) {
      long x = (high << 32) | (hash & 0xffffffffL);
      x ^= x >>> 33;
      x *= inverse(0xc4ceb9fe1a85ec53L);
      x ^= x >>> 33;
      x *= inverse(0xff51afd7ed558ccdL);
      x ^= x >>> 33;
      long vni = x >>> 32;
      if (vni <= Vni.MAX) {
        Vip vip = new Vip(new Vni((int) vni), new Ipv4Addr((int) x));
        assertThat(vip.hashCode()).as("Vip's hash as this test inverts it").isEqualTo(hash);
        vips.add(vip);
      }
    }
    return vips;
  }

  /** The inverse of an odd number modulo 2^64 (Newton's iteration). */
  private static long inverse(long odd) {
    long x = odd;
    for (int i = 0; i < 6; i++) {
      x *= 2 - odd * x;
    }
    return x;
  }

  @Test
  void positionsHoldEachRecordOnce_andNoneForAnAbsentVip() {
    MappingTable table = new MappingTable();
    List<V2PMapping> records = new ArrayList<>();
    for (int i = 0; i < 100; i++) { // grows the table past its first capacity
      Vip vip = new Vip(new Vni(7777), new Ipv4Addr(0x0a000000 + i));
      V2PMapping record = V2PMapping.set(MappingKey.of(vip, 1), on(1), OLD_OWNER, NIC_A, 1);
      records.add(record);
      table.offer(record);
    }
    Set<Integer> positions = new HashSet<>();
    for (V2PMapping record : records) {
      int at = table.indexOf(record.vip());
      assertThat(at).isBetween(0, table.capacity() - 1);
      assertThat(table.at(at)).isSameAs(record);
      positions.add(at);
    }
    assertThat(positions).hasSize(records.size());
    List<V2PMapping> held = new ArrayList<>();
    for (int at = 0; at < table.capacity(); at++) {
      if (table.at(at) != null) {
        held.add(table.at(at));
      }
    }
    assertThat(held).containsExactlyInAnyOrderElementsOf(records);
    assertThat(table.indexOf(VIP)).isEqualTo(-1);
  }
}
