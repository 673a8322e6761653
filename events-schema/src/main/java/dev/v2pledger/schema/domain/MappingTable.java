package dev.v2pledger.schema.domain;

import dev.v2pledger.schema.domain.Version.Verdict;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
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
  private final Map<Vip, V2PMapping> newest = new HashMap<>();

  /**
   * Offers a record; the table keeps it if it is newer than what it holds for its (VNI, IP).
   *
   * @return {@link Verdict#NEWER} when kept; {@link Verdict#CONFLICT} when kept in place of a
   *     record of the same version with other content (records of one key are offered in their
   *     partition's order, so the later one wins: a newer fold's decision); otherwise why not
   *     ({@link Verdict#OLDER}, {@link Verdict#DUPLICATE})
   */
  public Verdict offer(V2PMapping record) {
    Vip vip = record.key().vip();
    V2PMapping held = newest.get(vip);
    if (held == null) {
      newest.put(vip, record);
      return Verdict.NEWER;
    }
    Verdict verdict = held.version().judge(record.version(), held.sameContent(record));
    if (verdict.replaces()) {
      newest.put(vip, record);
    }
    return verdict;
  }

  /**
   * A tombstone for {@code key}: when the record held for its (VNI, IP) is of this key, the (VNI,
   * IP) is forgotten (nothing in force through it). Returns the record removed, or null when the
   * table holds another key's record (a newer allocation) or none.
   */
  public @Nullable V2PMapping remove(MappingKey key) {
    Vip vip = key.vip();
    V2PMapping held = newest.get(vip);
    if (held == null || !held.key().equals(key)) {
      return null;
    }
    return newest.remove(vip);
  }

  /** The newest record held for {@code vip}, SET or CLEARED. */
  public @Nullable V2PMapping newest(Vip vip) {
    return newest.get(vip);
  }

  /** The mapping in force for {@code vip}: the newest record if it is SET, else null. */
  public @Nullable V2PMapping inForce(Vip vip) {
    V2PMapping record = newest.get(vip);
    return record != null && record.isSet() ? record : null;
  }

  /** Every mapping in force, sorted by VNI then IP. */
  public NavigableMap<Vip, V2PMapping> inForce() {
    TreeMap<Vip, V2PMapping> table = new TreeMap<>();
    newest.forEach(
        (vip, record) -> {
          if (record.isSet()) {
            table.put(vip, record);
          }
        });
    return table;
  }

  /** The newest record of every (VNI, IP), SET or CLEARED. */
  public Map<Vip, V2PMapping> newestRecords() {
    return Collections.unmodifiableMap(newest);
  }

  public int size() {
    return newest.size();
  }

  /** Builds the table of {@code records}, offered in iteration order. */
  public static MappingTable of(Iterable<V2PMapping> records) {
    MappingTable table = new MappingTable();
    records.forEach(table::offer);
    return table;
  }
}
