package dev.v2pledger.applier.reconcile;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.schema.domain.IpAddr;
import dev.v2pledger.schema.domain.MacAddr;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.MappingTable;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.V2PTarget;
import dev.v2pledger.schema.domain.Version.Verdict;
import dev.v2pledger.schema.domain.Vip;
import dev.v2pledger.schema.domain.Vni;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * What this sled's XDE should hold: the project's {@link MappingTable} over every record of {@code
 * v2p.mappings} (per VIP the highest version wins; in force iff SET), minus the excluded VNIs,
 * which the applier never touches. Not thread-safe: the applier's one thread owns it.
 */
public final class Desired {
  private final MappingTable table = new MappingTable();
  private final Set<Vni> excluded;
  private final Set<Vni> vnis = new HashSet<>();

  /** How many MACs taken {@link #macsTakenSince} remembers. */
  static final int RECENT_MACS = 1024;

  private final MacAddr[] recentMacs = new MacAddr[RECENT_MACS];
  private long macsTaken;

  public Desired(Set<Vni> excludedVnis) {
    this.excluded = Set.copyOf(excludedVnis);
  }

  /** Offers a record to the table; see {@link MappingTable#offer}. */
  public Verdict offer(V2PMapping record) {
    vnis.add(record.vip().vni());
    V2PMapping before = table.newest(record.vip());
    Verdict verdict = table.offer(record);
    @Nullable MacAddr taken = verdict.replaces() ? macInForce(record) : null;
    if (taken != null && !taken.equals(macInForce(before))) {
      recentMacs[(int) (macsTaken % recentMacs.length)] = taken;
      macsTaken++;
    }
    return verdict;
  }

  /**
   * How many times a VIP's record in force took a MAC it did not have (a VIP new, SET again after
   * CLEARED or a tombstone, or another NIC's): only then can {@link #vnisOf} of a port with that
   * MAC gain a VNI.
   */
  public long macsTaken() {
    return macsTaken;
  }

  /**
   * The MACs taken since {@link #macsTaken} was {@code since}; null when that is longer ago than
   * this remembers (the last {@value #RECENT_MACS}): every MAC may have been.
   */
  public @Nullable Set<MacAddr> macsTakenSince(long since) {
    if (macsTaken - since > recentMacs.length || since > macsTaken) {
      return null;
    }
    Set<MacAddr> out = new HashSet<>();
    for (long i = since; i < macsTaken; i++) {
      out.add(recentMacs[(int) (i % recentMacs.length)]);
    }
    return out;
  }

  private static @Nullable MacAddr macInForce(@Nullable V2PMapping record) {
    V2PTarget target = record == null ? null : record.target();
    return target == null ? null : target.mac();
  }

  /** A tombstone; see {@link MappingTable#remove(dev.v2pledger.schema.domain.MappingKey, long)}. */
  public @Nullable V2PMapping remove(MappingKey key, long upToLocationGen) {
    return table.remove(key, upToLocationGen);
  }

  public boolean isExcluded(Vni vni) {
    return excluded.contains(vni);
  }

  public Set<Vni> excludedVnis() {
    return excluded;
  }

  /** The newest record of {@code vip}, SET or CLEARED, or null. */
  public @Nullable V2PMapping newest(Vip vip) {
    return table.newest(vip);
  }

  /**
   * Where the newest record of {@code vip} is: a position below {@link #positions()}, valid until
   * desired changes; -1 for none. See {@link MappingTable#indexOf}.
   */
  int indexOf(Vip vip) {
    return table.indexOf(vip);
  }

  /** The newest record at position {@code index} (see {@link #indexOf}), or null. */
  @Nullable V2PMapping at(int index) {
    return table.at(index);
  }

  /** The number of positions, until desired changes. */
  int positions() {
    return table.capacity();
  }

  /**
   * The VNIs in which a guest NIC with {@code mac} and private address {@code ip} has an entry in
   * force: where a port with that MAC and IP sends from. Usually one; empty when no SET record has
   * them (a port created before its instance's first record was read, or a port the projector
   * publishes nothing for, such as a service zone's). Costs one lookup per VNI ever seen.
   */
  public Set<Vni> vnisOf(MacAddr mac, IpAddr ip) {
    Set<Vni> out = new TreeSet<>();
    for (Vni vni : vnis) {
      V2PMapping record = table.newest(new Vip(vni, ip));
      V2PTarget target = record == null ? null : record.target();
      if (target != null && target.mac().equals(mac)) {
        out.add(vni);
      }
    }
    return out;
  }

  /** Number of VIPs with a record (SET or CLEARED). */
  public int size() {
    return table.size();
  }

  /** The device entry a SET record asks for. */
  public static XdeMapping entryOf(V2PMapping record) {
    V2PTarget target = record.target();
    if (target == null) {
      throw new IllegalArgumentException(record + " is not SET");
    }
    return new XdeMapping(record.vip(), target.mac(), target.underlayIp());
  }

  /** Whether {@code observed} is what the SET {@code record} asks for. */
  static boolean matches(V2PMapping record, XdeMapping observed) {
    V2PTarget target = record.target();
    return target != null
        && target.mac().equals(observed.mac())
        && target.underlayIp().equals(observed.underlayIp());
  }
}
