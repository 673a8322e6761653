package dev.v2pledger.schema.domain;

import com.google.common.collect.Iterators;
import dev.v2pledger.schema.domain.Version.Verdict;
import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The rule that turns projected records into the V2P table in force, written once and used by the
 * projector's tests, the replay tool and every sled's applier: for each (VNI, IP), the record with
 * the highest version wins (highest {@code ip_epoch}, then newest {@code location_gen}); the
 * mapping is in force only when that record is {@code SET}. Records from different partitions may
 * be offered in any order; the result does not depend on it.
 *
 * <p>Not thread-safe; one owner offers and reads.
 */
public final class MappingTable {
  private static final int FIRST_CAPACITY = 16;

  // The newest record of each VIP in an open-addressed array, found by its VIP's hash and probed
  // linearly: one reference per slot and no entry object (a HashMap node costs 32 bytes more per
  // mapping, an eighth of an applier's heap). At most 3/4 full.
  private @Nullable V2PMapping[] slots = new V2PMapping[FIRST_CAPACITY];
  private int size;

  /**
   * Offers a record; the table keeps it if it is newer than what it holds for its (VNI, IP).
   *
   * @return {@link Verdict#NEWER} when kept; {@link Verdict#CONFLICT} when kept in place of a
   *     record of the same version with other content (records of one key are offered in their
   *     partition's order, so the later one wins: a newer fold's decision); otherwise why not
   *     ({@link Verdict#OLDER}, {@link Verdict#DUPLICATE})
   */
  public Verdict offer(V2PMapping record) {
    int slot = slotOf(record.vip());
    V2PMapping held = slots[slot];
    if (held == null) {
      slots[slot] = record;
      if (++size > slots.length / 4 * 3) {
        grow();
      }
      return Verdict.NEWER;
    }
    Verdict verdict = held.version().judge(record.version(), held.sameContent(record));
    if (verdict.replaces()) {
      slots[slot] = record;
    }
    return verdict;
  }

  /**
   * A tombstone for {@code key}: when the record held for its (VNI, IP) is of this key, the (VNI,
   * IP) is forgotten (nothing in force through it). Returns the record removed, or null when the
   * table holds another key's record (a newer allocation) or none.
   */
  public @Nullable V2PMapping remove(MappingKey key) {
    return remove(key, Long.MAX_VALUE);
  }

  /**
   * As {@link #remove(MappingKey)}, for a tombstone that names the highest {@code location_gen} of
   * its key's records when it was written: a newer record of the key (read earlier from another
   * partition) stays.
   */
  public @Nullable V2PMapping remove(MappingKey key, long upToLocationGen) {
    int slot = slotOf(key.vip());
    V2PMapping held = slots[slot];
    if (held == null
        || held.ipEpoch() != key.ipEpoch() // its VIP is the key's
        || held.locationGen() > upToLocationGen) {
      return null;
    }
    empty(slot);
    size--;
    return held;
  }

  /** The newest record held for {@code vip}, SET or CLEARED. */
  public @Nullable V2PMapping newest(Vip vip) {
    return slots[slotOf(vip)];
  }

  /** The mapping in force for {@code vip}: the newest record if it is SET, else null. */
  public @Nullable V2PMapping inForce(Vip vip) {
    V2PMapping record = newest(vip);
    return record != null && record.isSet() ? record : null;
  }

  /** Every mapping in force, sorted by VNI then IP. */
  public NavigableMap<Vip, V2PMapping> inForce() {
    return sorted(true);
  }

  /** The newest record of every (VNI, IP), SET or CLEARED, sorted by VNI then IP. */
  public NavigableMap<Vip, V2PMapping> newestByVip() {
    return sorted(false);
  }

  private NavigableMap<Vip, V2PMapping> sorted(boolean setOnly) {
    TreeMap<Vip, V2PMapping> table = new TreeMap<>();
    for (V2PMapping record : newestRecords()) {
      if (record.isSet() || !setOnly) {
        table.put(record.vip(), record);
      }
    }
    return table;
  }

  /**
   * The newest record of every (VNI, IP), SET or CLEARED, in no particular order: a view, valid
   * until the table changes.
   */
  public Collection<V2PMapping> newestRecords() {
    return new AbstractCollection<>() {
      @Override
      public Iterator<V2PMapping> iterator() {
        return Iterators.filter(Iterators.forArray(slots), V2PMapping.class); // skips empty slots
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  public int size() {
    return size;
  }

  /**
   * Where {@code vip}'s record is held: a position below {@link #capacity()}, valid until the table
   * changes, or -1 when the table holds no record of it. For a caller that marks records in a bit
   * set of {@link #capacity()} bits instead of building a map of its own (a reconcile pass).
   */
  public int indexOf(Vip vip) {
    int slot = slotOf(vip);
    return slots[slot] == null ? -1 : slot;
  }

  /** The record at position {@code index} (see {@link #indexOf}), or null: most hold none. */
  public @Nullable V2PMapping at(int index) {
    return slots[index];
  }

  /** The number of positions, until the table changes: more than its {@link #size()}. */
  public int capacity() {
    return slots.length;
  }

  /** Builds the table of {@code records}, offered in iteration order. */
  public static MappingTable of(Iterable<V2PMapping> records) {
    MappingTable table = new MappingTable();
    records.forEach(table::offer);
    return table;
  }

  /** The slot holding {@code vip}'s record, or the empty slot where it would go. */
  private int slotOf(Vip vip) {
    int mask = slots.length - 1;
    int slot = vip.hashCode() & mask; // Vip's hash is mixed: its low bits spread
    for (V2PMapping held = slots[slot];
        held != null && !held.vip().equals(vip);
        held = slots[slot]) {
      slot = (slot + 1) & mask;
    }
    return slot;
  }

  /**
   * Empties {@code slot}, moving back each record of the run after it that could no longer be found
   * past the gap (deletion without tombstones, Knuth's algorithm R).
   */
  private void empty(int slot) {
    int mask = slots.length - 1;
    int gap = slot;
    for (int next = (gap + 1) & mask; slots[next] != null; next = (next + 1) & mask) {
      V2PMapping record = Objects.requireNonNull(slots[next]);
      int home = record.vip().hashCode() & mask;
      if (((next - home) & mask) >= ((next - gap) & mask)) { // the gap lies on its probe path
        slots[gap] = record;
        gap = next;
      }
    }
    slots[gap] = null;
  }

  private void grow() {
    V2PMapping[] old = slots;
    slots = new V2PMapping[old.length * 2];
    for (V2PMapping record : old) {
      if (record != null) {
        slots[slotOf(record.vip())] = record;
      }
    }
  }
}
