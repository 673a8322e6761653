package dev.v2pledger.applier.runner;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.codec.TombstoneHeader;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.V2PMapping;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What was read of the held records' keys while records were held (DESIGN "Sled applier"): for each
 * key and partition, where its last record there was read and its generation, the highest
 * generation its tombstones named, and where in each partition the last tombstone without one was
 * read. A held record that decodes later is judged by it ({@link #cameAfter}). Only the held
 * records' keys are followed, so this stays as small as the holds. Part of {@link ApplierEngine};
 * not thread-safe.
 */
final class HoldMemory {
  /**
   * Where a key's last record in a partition was read, and its generation (the key fixes its
   * epoch).
   */
  private record LastRecord(long offset, long locationGen) {}

  /**
   * The tombstones of a key: the highest generation they name (any partition), and where the last
   * one without a generation was read, per partition.
   */
  private static final class Tombstones {
    private long highestUpTo = -1;
    private final Map<Integer, Long> withoutGeneration = new HashMap<>(2);

    void read(int partition, long offset, long upToLocationGen) {
      if (upToLocationGen == TombstoneHeader.ANY) {
        withoutGeneration.merge(partition, offset, Math::max);
      } else {
        highestUpTo = Math.max(highestUpTo, upToLocationGen);
      }
    }

    /**
     * Whether one came after the record of the key at {@code offset} of {@code partition}, of
     * generation {@code locationGen}: by its generation (any partition: every record of its key
     * written before it is at or below it, DESIGN "Bounded growth"), or, without one (an older
     * projector's, written to the key's partition only), by its place in that partition.
     */
    boolean after(int partition, long offset, long locationGen) {
      Long at = withoutGeneration.get(partition);
      return highestUpTo >= locationGen || at != null && at > offset;
    }
  }

  /**
   * Per key and partition: a key has records in more than one partition once the topic grew, and a
   * held record decoding late is read again at its own, earlier place; neither may hide the last.
   */
  private final Map<MappingKey, Map<Integer, LastRecord>> records = new HashMap<>();

  private final Map<MappingKey, Tombstones> tombstones = new HashMap<>();

  /**
   * The keys of the held records (one whose Kafka key is not a key as the projector writes it has
   * none, and is never offered).
   */
  private Set<MappingKey> followed = new HashSet<>();

  /** Forgets everything: what was read during an earlier hold is before the record held now. */
  void clear() {
    records.clear();
    tombstones.clear();
  }

  /**
   * Follows the keys of {@code held}: a held record whose Kafka key is not a key as the projector
   * writes it stays held when it decodes ({@link ApplierEngine#decodedLate}), so nothing read is
   * ever judged against it.
   */
  void follow(Collection<Holds.Held> held) {
    Set<MappingKey> keys = new HashSet<>();
    for (Holds.Held record : held) {
      if (record.key() != null) {
        keys.add(record.key());
      }
    }
    followed = keys;
  }

  /** Follows {@code held} only, and forgets what was read of other keys. */
  void narrowTo(Collection<Holds.Held> held) {
    follow(held);
    records.keySet().retainAll(followed);
    tombstones.keySet().retainAll(followed);
  }

  /**
   * A record of its key was read at {@code offset} of {@code partition} (also one older than the
   * table's: a tombstone may forget the newer one).
   */
  void read(V2PMapping record, int partition, long offset) {
    MappingKey key = record.key();
    if (follows(key)) {
      records
          .computeIfAbsent(key, k -> new HashMap<>(2))
          .merge(
              partition,
              new LastRecord(offset, record.locationGen()),
              (a, b) -> b.offset() > a.offset() ? b : a);
    }
  }

  /** A tombstone of {@code key} naming {@code upToLocationGen} was read there. */
  void tombstone(MappingKey key, long upToLocationGen, int partition, long offset) {
    if (follows(key)) {
      tombstones
          .computeIfAbsent(key, k -> new Tombstones())
          .read(partition, offset, upToLocationGen);
    }
  }

  /**
   * What came after the held {@code record} at {@code offset} of {@code partition}, in its place: a
   * tombstone of its key naming its generation or higher (any partition; without a generation,
   * after it in its partition), or a record of its key at its version or newer after it in its
   * partition (at one version the later record wins; a newer one the table may have forgotten
   * since, through a newer allocation's tombstone); null when nothing did. What came after it in
   * another partition (a key whose partition moved when the topic grew) has no order against it.
   */
  @Nullable String cameAfter(V2PMapping record, int partition, long offset) {
    Tombstones tombstoned = tombstones.get(record.key());
    if (tombstoned != null && tombstoned.after(partition, offset, record.locationGen())) {
      return "a tombstone of its key";
    }
    LastRecord later = records.getOrDefault(record.key(), Map.of()).get(partition);
    if (later != null && later.offset() > offset && later.locationGen() >= record.locationGen()) {
      return "its key's record at " + Topics.MAPPINGS + "-" + partition + "@" + later.offset();
    }
    return null;
  }

  /**
   * Whether the {@code held} record may be newer than {@code newest}, the desired table's record of
   * its VIP (so the device's entry of that VIP is kept as it is, DESIGN "Sled applier"): unless
   * {@code newest} is of a newer allocation, or a record of the held record's key was read after it
   * in its partition (its key's later record: the table's is at least as new).
   */
  boolean mayOutrank(Holds.Held held, V2PMapping newest) {
    MappingKey key = held.key();
    if (key == null || !key.vip().equals(newest.vip()) || newest.ipEpoch() > key.ipEpoch()) {
      return false;
    }
    LastRecord later = records.getOrDefault(key, Map.of()).get(held.partition());
    return newest.ipEpoch() < key.ipEpoch() || later == null || later.offset() <= held.offset();
  }

  /** How many keys this memory has (bounded by the held records' keys, {@link #follow}). */
  int keys() {
    Set<MappingKey> keys = new HashSet<>(records.keySet());
    keys.addAll(tombstones.keySet());
    return keys.size();
  }

  private boolean follows(MappingKey key) {
    return followed.contains(key);
  }
}
