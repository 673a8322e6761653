package dev.v2pledger.applier.runner;

import dev.v2pledger.schema.domain.MappingKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;

/**
 * Why this applier withholds every clear (DESIGN "Sled applier", fail safe): records of {@code
 * v2p.mappings} it cannot decode yet (no schema for them anywhere, corrupt bytes), each held at its
 * partition and offset until it decodes or an operator skips it; and partitions it found while
 * running and has not read to their end yet. A clear might be for the very key such a record keeps
 * set, so none is issued while anything is here; sets go on. Not thread-safe: the applier thread
 * owns it.
 */
final class Holds {
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

  /** A record read now: held, under its own bytes (one held there before is replaced). */
  void hold(Held record) {
    String at = key(record.partition(), record.offset());
    held.put(at, record);
    cut.remove(at);
  }

  /** The held record, with a new reason. */
  void update(Held record) {
    held.put(key(record.partition(), record.offset()), record);
  }

  /** The reader of {@code partition} went back to {@code from}: records held there on are cut. */
  void cut(int partition, long from) {
    for (Map.Entry<String, Held> entry : held.entrySet()) {
      Held record = entry.getValue();
      if (record.partition() == partition && record.offset() >= from && cut.add(entry.getKey())) {
        entry.setValue(
            record.withError(
                "the reader went back before it (the log was cut under it); held, never applied,"
                    + " until what the log has at its offset now is read"));
      }
    }
  }

  /**
   * Whether the record held at {@code partition}/{@code offset} is one the reader went back before.
   */
  boolean isCut(int partition, long offset) {
    return cut.contains(key(partition, offset));
  }

  /** The cut records of {@code partition} below {@code next}: the reader is past them again. */
  List<Held> cutBefore(int partition, long next) {
    if (cut.isEmpty()) {
      return List.of();
    }
    return held.values().stream()
        .filter(h -> h.partition() == partition && h.offset() < next)
        .filter(h -> isCut(partition, h.offset()))
        .toList();
  }

  /** The held record at {@code partition}/{@code offset}, or null. */
  @Nullable Held get(int partition, long offset) {
    return held.get(key(partition, offset));
  }

  /** Removes and returns the held record at {@code partition}/{@code offset}, or null. */
  @Nullable Held remove(int partition, long offset) {
    cut.remove(key(partition, offset));
    return held.remove(key(partition, offset));
  }

  List<Held> held() {
    return new ArrayList<>(held.values());
  }

  /** Why a record that decodes is not applied: no projector writes it under another key. */
  static String keyMismatch(MappingKey kafkaKey, MappingKey mapping) {
    return "its Kafka key " + kafkaKey + " is not its mapping's key " + mapping;
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
