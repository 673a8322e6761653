package dev.v2pledger.applier.runner;

import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.MappingKey;
import dev.v2pledger.schema.domain.V2PMapping;
import dev.v2pledger.schema.domain.Vip;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Why this applier withholds every clear (DESIGN "Sled applier", fail safe): records of {@code
 * v2p.mappings} it cannot decode yet (no schema for them anywhere, corrupt bytes), each held at its
 * partition and offset; and partitions it found while running and has not read to their end yet. A
 * held record stops being held when it decodes, when its key's later record or tombstone in its
 * partition replaces it, or when an operator skips it. A clear might be for the very key such a
 * record keeps set, so none is issued while anything is here; sets go on. Not thread-safe: the
 * applier thread owns it.
 */
final class Holds {
  private static final Logger LOG = LoggerFactory.getLogger(ApplierEngine.class); // its lines

  /**
   * A record held back: where it is, its key (null when its Kafka key is not a key as the projector
   * writes it), its bytes and headers (to decode again), why, and since when.
   */
  record Held(
      int partition,
      long offset,
      @Nullable MappingKey key,
      byte[] value,
      Headers headers,
      String error,
      Instant since) {
    String where() {
      return partition + "@" + offset;
    }

    Held withError(String why) {
      return new Held(partition, offset, key, value, headers, why, since);
    }
  }

  private final TreeMap<String, Held> held = new TreeMap<>();
  private final Map<Integer, Long> catchingUp = new TreeMap<>();

  /** Held records the reader went back before (the log cut under it): never applied. */
  private final Set<String> cut = new HashSet<>();

  /** What was read of the held records' keys while they are held. */
  private final HoldMemory readDuringHold = new HoldMemory();

  /**
   * Held records a later record or tombstone of their key replaced ({@link #supersededBy}), by
   * where they are, with the offset of what replaced them: held again when the log is cut at or
   * below that offset ({@link #replacedPast}), as they are their key's last record again.
   */
  private final Map<String, Replaced> replaced = new HashMap<>();

  private record Replaced(Held record, long by) {}

  /**
   * Records held again ({@link #replacedPast}), by where they are, each as it was held before with
   * the offset of what had replaced it: never applied until the reader is past that offset again
   * (the log there may still have it, as the reader read it before: a record of their key read
   * again ends their hold).
   */
  private final Map<String, Replaced> heldAgain = new HashMap<>();

  /** A record read now: held, under its own bytes (one held there before is replaced). */
  void hold(Held record) {
    if (held.isEmpty()) { // what was read during an earlier hold is before this record
      readDuringHold.clear();
    }
    String at = key(record.partition(), record.offset());
    held.put(at, record);
    cut.remove(at);
    readDuringHold.follow(held.values());
  }

  /**
   * Once a hold ends: forgets what was read during holds when nothing is held any more, and
   * otherwise what was read of keys no held record has.
   */
  void ended() {
    if (held.isEmpty()) {
      readDuringHold.clear();
    } else {
      readDuringHold.narrowTo(held.values());
    }
  }

  /**
   * A record read at {@code offset} of {@code partition}: remembered while one of its key is held.
   */
  void read(V2PMapping record, int partition, long offset) {
    if (!held.isEmpty()) { // the key is built only while one is held
      readDuringHold.read(record, partition, offset);
    }
  }

  /** A tombstone of {@code key} naming {@code upToLocationGen}, read there: as {@link #read}. */
  void readTombstone(MappingKey key, long upToLocationGen, int partition, long offset) {
    if (!held.isEmpty()) {
      readDuringHold.tombstone(key, upToLocationGen, partition, offset);
    }
  }

  /** {@link HoldMemory#cameAfter}. */
  @Nullable String cameAfter(V2PMapping record, int partition, long offset) {
    return readDuringHold.cameAfter(record, partition, offset);
  }

  /**
   * The VIPs whose record in the desired table ({@code newest} of a VIP) a held record may outrank
   * ({@link HoldMemory#mayOutrank}).
   */
  Set<Vip> outranking(Function<Vip, @Nullable V2PMapping> newest) {
    Set<Vip> vips = new HashSet<>();
    for (Held record : held.values()) {
      V2PMapping desired = record.key() == null ? null : newest.apply(record.key().vip());
      if (desired != null && readDuringHold.mayOutrank(record, desired)) {
        vips.add(desired.vip());
      }
    }
    return vips;
  }

  /** How many keys the memory of what was read during holds has. */
  int keysRead() {
    return readDuringHold.keys();
  }

  /** The held record, with a new reason. */
  void update(Held record) {
    held.put(key(record.partition(), record.offset()), record);
  }

  /**
   * The reader of {@code partition} went back to {@code from}: records held there on are cut.
   * Returns the records to hold again: those before it that what it went back before had replaced
   * ({@link #replacedPast}).
   */
  List<Held> cut(int partition, long from) {
    for (Map.Entry<String, Held> entry : held.entrySet()) {
      Held record = entry.getValue();
      if (record.partition() == partition && record.offset() >= from && cut.add(entry.getKey())) {
        entry.setValue(
            record.withError(
                "the reader went back before it (the log was cut under it); held, never applied,"
                    + " until what the log has at its offset now is read"));
      }
    }
    return replacedPast(partition, from);
  }

  /**
   * Whether the record held at {@code partition}/{@code offset} is one the reader went back before.
   */
  boolean isCut(int partition, long offset) {
    String at = key(partition, offset);
    return cut.contains(at) || heldAgain.containsKey(at);
  }

  /** The cut records of {@code partition} below {@code next}: the reader is past them again. */
  List<Held> cutBefore(int partition, long next) {
    heldAgain // the reader is past what had replaced them: their key's last record, applicable
        .entrySet()
        .removeIf(
            e -> {
              Replaced before = e.getValue();
              if (before.record().partition() != partition || before.by() >= next) {
                return false;
              }
              held.computeIfPresent( // held for its own reason again
                  e.getKey(), (at, record) -> record.withError(before.record().error()));
              return true;
            });
    if (cut.isEmpty()) {
      return List.of();
    }
    return held.values().stream()
        .filter(h -> h.partition() == partition && h.offset() < next)
        .filter(h -> cut.contains(key(partition, h.offset())))
        .toList();
  }

  /**
   * The held records that a record or tombstone of {@code key} read at {@code offset} of {@code
   * partition} replaces: those under the same Kafka key (a key as the projector writes it is one
   * spelling of it) earlier in that partition, which compaction removes (DESIGN "Sled applier",
   * superseded). Each is logged, with {@code what} replaced it.
   */
  List<Held> supersededBy(MappingKey key, int partition, long offset, String what) {
    List<Held> superseded = new ArrayList<>(1);
    for (Held record : held.values()) {
      if (record.partition() == partition && record.offset() < offset && key.equals(record.key())) {
        superseded.add(record);
        String at = key(partition, record.offset());
        Replaced before = heldAgain.get(at); // held again: as it was held before, once said
        replaced.put(at, new Replaced(before != null ? before.record() : record, offset));
        LOG.warn(
            "{}-{}: no longer held ({}): its key's {} at offset {} replaces it, as compaction will",
            Topics.MAPPINGS,
            record.where(),
            record.error(),
            what,
            offset);
      }
    }
    return superseded;
  }

  /**
   * The reader of {@code partition} went back to {@code from} (the log was cut under it): the
   * records before {@code from} whose replacement was at or past it, which the log may not have any
   * more; each is to be held again (those at or past {@code from} are read again).
   */
  private List<Held> replacedPast(int partition, long from) {
    List<Held> again = new ArrayList<>();
    replaced
        .values()
        .removeIf(
            r -> {
              if (r.record().partition() != partition || r.by() < from) {
                return false;
              }
              if (r.record().offset() < from) {
                heldAgain.put(key(partition, r.record().offset()), r);
                again.add(
                    r.record()
                        .withError(
                            "what replaced it at offset "
                                + r.by()
                                + " is past where the log was cut; held again, never applied"
                                + " until the reader is past it again: "
                                + r.record().error()));
              }
              return true;
            });
    again.forEach(
        record ->
            LOG.error("{}-{}: held again: {}", Topics.MAPPINGS, record.where(), record.error()));
    return again;
  }

  /** The held record at {@code partition}/{@code offset}, or null. */
  @Nullable Held get(int partition, long offset) {
    return held.get(key(partition, offset));
  }

  /** Removes and returns the held record at {@code partition}/{@code offset}, or null. */
  @Nullable Held remove(int partition, long offset) {
    cut.remove(key(partition, offset));
    heldAgain.remove(key(partition, offset));
    return held.remove(key(partition, offset));
  }

  List<Held> held() {
    return new ArrayList<>(held.values());
  }

  /** How many records are held (without {@link #held}'s copy). */
  int count() {
    return held.size();
  }

  /** Why a record that decodes is not applied: no projector writes it under another key. */
  static String keyMismatch(MappingKey kafkaKey, MappingKey mapping) {
    return "its Kafka key " + kafkaKey + " is not its mapping's key " + mapping;
  }

  /**
   * Whether {@code record}, which decodes now to a mapping of {@code decoded}, stays held for its
   * Kafka key being another key ({@link #keyMismatch}); the new reason is kept and logged once.
   */
  boolean heldForAnotherKey(Held record, MappingKey decoded) {
    if (decoded.equals(record.key())) {
      return false;
    }
    String why = keyMismatch(Objects.requireNonNull(record.key()), decoded);
    if (!record.error().endsWith(why)) {
      update(record.withError(why));
      LOG.error(
          "{}-{}: decodes now, but {}; it stays held (POST /skip to give up on it)",
          Topics.MAPPINGS,
          record.where(),
          why);
    }
    return true;
  }

  boolean anyHeld() {
    return !held.isEmpty();
  }

  /** A partition found while running must be read up to {@code end} before clears resume. */
  void catchUp(int partition, long end) {
    if (end > 0) {
      catchingUp.put(partition, end);
    }
  }

  /** The reader is at {@code position} of {@code partition}; true when that ended a catch-up. */
  boolean reached(int partition, long position) {
    Long end = catchingUp.get(partition);
    if (end != null && position >= end) {
      catchingUp.remove(partition);
      return true;
    }
    return false;
  }

  boolean clearsWithheld() {
    return !held.isEmpty() || !catchingUp.isEmpty();
  }

  /** Why clears are withheld, in one line; null when they are not. */
  @Nullable String reason(String topic) {
    if (!held.isEmpty()) {
      Held first = held.firstEntry().getValue();
      return "holding "
          + held.size()
          + " record(s) of "
          + topic
          + " that cannot be applied, first "
          + topic
          + "-"
          + first.where()
          + " ("
          + first.error()
          + "): no clear is issued while any is held; POST /skip?partition="
          + first.partition()
          + "&offset="
          + first.offset()
          + " gives it up";
    }
    if (!catchingUp.isEmpty()) {
      return "reading partition(s) "
          + catchingUp.keySet()
          + " of "
          + topic
          + ", added while running";
    }
    return null;
  }

  private static String key(int partition, long offset) {
    return String.format("%010d@%019d", partition, offset);
  }
}
