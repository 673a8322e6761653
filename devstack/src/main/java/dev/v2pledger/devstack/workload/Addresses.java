package dev.v2pledger.devstack.workload;

import dev.v2pledger.devstack.workload.World.Nic;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.Ipv4Addr;
import dev.v2pledger.schema.domain.Ipv6Addr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.NicId;
import dev.v2pledger.schema.domain.Vni;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The {@link Generator}'s address allocation: the VPCs of the workload (VNIs clear of the services
 * VNI and of those already in use), and NICs with their MACs, their IPs (from a per-VPC counter, or
 * released by another instance and reused) and their {@code ip_epoch}s from a counter-backed epoch.
 */
final class Addresses {
  private static final int MIN_VNI = 1000;
  private static final int MAX_VNI = 16_000_000;

  private final WorkloadConfig config;
  private final Random random;
  private final Ids ids;
  private final List<Vni> vpcs = new ArrayList<>();
  private final Map<Vni, Deque<IpAddr>> released = new HashMap<>();
  private final Map<Vni, int[]> nextHost = new HashMap<>();
  private long epoch;
  private long macs;
  private long ipReuses;

  /** Allocation for {@code config}, drawing from the workload's {@code random} and {@code ids}. */
  Addresses(WorkloadConfig config, Random random, Ids ids) {
    this.config = config;
    this.random = random;
    this.ids = ids;
    this.epoch = config.epochBase();
  }

  /** Draws the workload's {@code config.vpcs()} VPCs. */
  void pickVpcs() {
    Set<Vni> taken = new HashSet<>(config.avoidVnis());
    taken.add(Vni.SERVICES);
    while (vpcs.size() < config.vpcs()) {
      Vni vni = new Vni(MIN_VNI + random.nextInt(MAX_VNI - MIN_VNI));
      if (taken.add(vni)) {
        vpcs.add(vni);
      }
    }
  }

  /** One of the workload's VPCs, at random. */
  Vni anyVpc() {
    return vpcs.get(random.nextInt(vpcs.size()));
  }

  /** A new NIC in {@code vni}: one IP (now and then two), a new MAC, the next epoch. */
  Nic newNic(Vni vni) {
    int count = random.nextDouble() < 0.75 ? 1 : 2;
    List<IpAddr> ips = new ArrayList<>();
    while (ips.size() < count) {
      IpAddr ip = allocate(vni);
      if (!ips.contains(ip)) {
        ips.add(ip);
      }
    }
    return new Nic(new NicId(ids.next()), vni, nextMac(), List.copyOf(ips), ++epoch);
  }

  /** {@code nic} is gone: its IPs may be handed to another instance of its VPC. */
  void release(Nic nic) {
    released.computeIfAbsent(nic.vni(), v -> new ArrayDeque<>()).addAll(nic.ips());
  }

  /** The next MAC of the workload's range. */
  MacAddr nextMac() {
    return new MacAddr(0xA84025F00000L + (macs++ % 0xEFFFFL));
  }

  /** The highest {@code ip_epoch} allocated so far (the config's epoch base if none). */
  long maxEpoch() {
    return epoch;
  }

  /** The workload's VPCs. */
  Set<Vni> vpcs() {
    return new HashSet<>(vpcs);
  }

  /** How many IPs were handed out again after being released. */
  long ipReuses() {
    return ipReuses;
  }

  private IpAddr allocate(Vni vni) {
    Deque<IpAddr> pool = released.get(vni);
    if (pool != null && !pool.isEmpty() && random.nextDouble() < config.reuseRate()) {
      ipReuses++;
      return pool.removeFirst();
    }
    int[] next = nextHost.computeIfAbsent(vni, v -> new int[2]);
    if (random.nextDouble() < 0.2) {
      return ipv6(++next[1]);
    }
    return ipv4(next[0]++);
  }

  /**
   * The {@code host}th IPv6 address of a VPC ({@code host} from 1), none twice: {@code fd77::1} to
   * {@code fd77::ffff}, then the next 16 bits too ({@code fd77::1:0}; it gave {@code fd77::10000},
   * which is no address, and the run stopped).
   */
  static Ipv6Addr ipv6(int host) {
    int high = host >>> 16;
    String low = Integer.toHexString(host & 0xffff);
    return Ipv6Addr.parse("fd77::" + (high == 0 ? low : Integer.toHexString(high) + ":" + low));
  }

  /**
   * The {@code host}th IPv4 address of a VPC, none twice: 250 per /24 (.2 to .251), 172.30.0.0/16
   * first (64 000), then 10.0.0.0/8 (16 384 000 more; it wrapped into 172.30.0.0 again, giving a
   * live instance's address to another in a long run).
   */
  static Ipv4Addr ipv4(int host) {
    int inSlash24 = 2 + host % 250;
    int slash24 = host / 250;
    if (slash24 < 256) {
      return Ipv4Addr.parse("172.30." + slash24 + "." + inSlash24);
    }
    slash24 -= 256;
    if (slash24 >= 256 * 256) {
      throw new IllegalStateException("a VPC of the workload ran out of IPv4 addresses");
    }
    return Ipv4Addr.parse("10." + slash24 / 256 + "." + slash24 % 256 + "." + inSlash24);
  }
}
