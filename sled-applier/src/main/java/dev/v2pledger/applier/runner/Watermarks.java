package dev.v2pledger.applier.runner;

import dev.v2pledger.schema.domain.Vip;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per partition of {@code v2p.mappings}, the offset below which this sled's device matches every
 * record: the reader's position, held back at the first delta whose call failed (or was withheld)
 * until a reconcile pass succeeds, and at every record that could not be decoded until it is
 * decoded or skipped. Nothing is ackable before the first successful pass (the device was not
 * reconciled yet), nor after a pass that could not make the device equal to desired (a call failed,
 * or the device could not be read: records already acked may no longer be on it) until a pass
 * succeeds again, nor after a device-wide failure (XDE may come back empty) until a pass read the
 * device and made it equal to desired but for withheld clears (those hold their own partitions).
 * Not thread-safe.
 */
final class Watermarks {
  private final Map<Integer, Long> position = new HashMap<>();
  private final Map<Integer, Long> hold = new HashMap<>();
  private final Map<Integer, TreeSet<Long>> undecodable = new HashMap<>();
  private final Map<Integer, Long> published = new HashMap<>();

  /** Per partition, where the reader was before its position last went back. */
  private final Map<Integer, Long> readBefore = new HashMap<>();

  /**
   * Per partition read again, the VIPs whose table took a record read again with the version it
   * held and other content: the earlier of the two in the log, its entry kept until the reader is
   * where it had been (the later one may follow).
   */
  private final Map<Integer, Set<Vip>> conflictsReadAgain = new HashMap<>();

  private boolean synced;

  /** Whether {@link #synced} was lost to a device-wide failure alone. */
  private boolean deviceLost;

  /** Partitions whose position went back since {@link #takeWentBack} last took them. */
  private final Set<Integer> wentBack = new HashSet<>();

  /**
   * Every record of {@code partition} below {@code next} has been handled. A position below the
   * last one given means the log was cut under the reader (an unclean leader election truncated it,
   * or the topic was made again) and the reader went back, to where the logs diverge or to the
   * start: the offsets from there on hold other records now, or none yet, so the watermark goes
   * back with it, and the next ack says where the sled stands (a lower ack takes nothing back from
   * a reader of {@code v2p.acks}; it only stops claiming records the sled has not read).
   *
   * @return whether the position went back
   */
  boolean advance(int partition, long next) {
    Long at = position.get(partition);
    if (at != null && next < at) {
      position.put(partition, next);
      readBefore.merge(partition, at, Math::max);
      published.remove(partition); // else nothing is sent below the old mark, and a re-send lies
      wentBack.add(partition);
      return true;
    }
    position.merge(partition, next, Math::max);
    Long before = readBefore.get(partition);
    if (before != null && next >= before) {
      readBefore.remove(partition);
      conflictsReadAgain.remove(partition);
    }
    return false;
  }

  /** A record read again in {@code partition} replaced its VIP's record of the same version. */
  void conflictReadAgain(int partition, Vip vip) {
    conflictsReadAgain.computeIfAbsent(partition, p -> new HashSet<>()).add(vip);
  }

  /** Whether {@link #keptReadingAgain} may have any VIP (false: it has none). */
  boolean keepsAnyReadingAgain() {
    return !conflictsReadAgain.isEmpty();
  }

  /** The VIPs of {@link #conflictReadAgain} in partitions still read again. */
  Set<Vip> keptReadingAgain() {
    Set<Vip> kept = new HashSet<>();
    conflictsReadAgain.values().forEach(kept::addAll);
    return kept;
  }

  /** Whether {@code offset} of {@code partition} is read again: the position went back below it. */
  boolean readAgain(int partition, long offset) {
    Long before = readBefore.get(partition);
    return before != null && offset < before;
  }

  /** The call for the record at {@code offset} failed: hold the partition's watermark there. */
  void deltaFailed(int partition, long offset) {
    hold.merge(partition, offset, Math::min);
  }

  /** The record at {@code offset} cannot be decoded: the watermark stays at or below it. */
  void undecodable(int partition, long offset) {
    undecodable.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
  }

  /** The record at {@code offset} was decoded after all, or skipped. */
  void resolved(int partition, long offset) {
    TreeSet<Long> offsets = undecodable.get(partition);
    if (offsets != null) {
      offsets.remove(offset);
      if (offsets.isEmpty()) {
        undecodable.remove(partition);
      }
    }
  }

  /** A pass made the device equal to desired: every failed delta is repaired. */
  void passSucceeded() {
    synced = true;
    deviceLost = false;
    hold.clear();
  }

  /**
   * A pass read the device and made it equal to desired but for withheld clears, whose records hold
   * their own partitions: after a device-wide failure, the other partitions are synced again.
   */
  void passMatchedButWithheld() {
    if (deviceLost) {
      synced = true;
      deviceLost = false;
    }
  }

  /** A call failed device-wide: the device may come back empty, so nothing is ackable for now. */
  void deviceFailed() {
    if (synced) {
      deviceLost = true;
    }
    synced = false;
  }

  /**
   * A pass left the device unequal to desired (a call failed or the device could not be read): the
   * device may no longer hold records below the watermarks, so none moves until a pass succeeds.
   */
  void passFailed() {
    synced = false; // deviceLost stays: a pass that failed while the device was gone proves nothing
  }

  /** The current watermark of {@code partition}, or -1 when nothing is ackable. */
  long watermark(int partition) {
    Long at = position.get(partition);
    if (!synced || at == null) {
      return -1;
    }
    TreeSet<Long> stuck = undecodable.get(partition);
    long first = stuck == null ? Long.MAX_VALUE : stuck.first();
    return Math.min(Math.min(at, first), hold.getOrDefault(partition, Long.MAX_VALUE));
  }

  /** Watermarks that moved past what was last published, by partition. */
  Map<Integer, Long> unpublished() {
    Map<Integer, Long> out = new TreeMap<>();
    for (Integer partition : position.keySet()) {
      long mark = watermark(partition);
      if (mark > published.getOrDefault(partition, -1L)) {
        out.put(partition, mark);
      }
    }
    return out;
  }

  void published(int partition, long mark) {
    published.merge(partition, mark, Math::max);
  }

  /** Forget what was published (after a failed send), so every watermark is sent again. */
  void republish() {
    published.clear();
  }

  /**
   * The partitions whose position went back since the last call: a watermark reached again there
   * covers other records than the ack sent for it before, so its ack is stamped anew.
   */
  Set<Integer> takeWentBack() {
    if (wentBack.isEmpty()) { // nearly always: asked after every step
      return Set.of();
    }
    Set<Integer> out = Set.copyOf(wentBack);
    wentBack.clear();
    return out;
  }

  /** Last published watermark per partition. */
  Map<Integer, Long> publishedMarks() {
    return new TreeMap<>(published);
  }
}
