package dev.v2pledger.replay.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The records of {@code v2p.events} that letters of {@code v2p.events.dlq} were written for, each
 * named by its position and its timestamp ({@code v2p.dlq.timestamp}: log-append time), with its
 * letter's reason, kept compact for millions of letters: per partition of {@code v2p.events} a
 * {@code long[]} of offsets, a {@code long[]} of timestamps and a {@code byte[]} naming the reason
 * in a table of the distinct reasons (a handful: the projector writes {@code EventAdmission.Reason}
 * names), about 17 bytes per letter where a {@code HashMap<Long, String>} took ~110. Letters are
 * {@link #add}ed in any order, then {@link #seal}ed once: each partition is sorted by offset, then
 * timestamp (stably: a record named twice keeps the reason of the letter read last, as a map's
 * {@code put} did) and trimmed; {@link #reason} then finds a record by binary search. A letter
 * counts only for the record it was written for: the one at its position with its timestamp (a
 * topic made again holds other records at the same positions). Reasons past the 255th distinct one
 * (only letters with made-up headers have so many) are kept exactly in a map beside. Not
 * thread-safe.
 */
public final class LetterPositions {
  /**
   * The timestamp of a letter that names none (no {@code v2p.dlq.timestamp}, which every projector
   * writes): it counts for whatever record is at its position.
   */
  public static final long ANY_TIME = Long.MIN_VALUE;

  /** The reason index meaning "in {@link #overflow}": the table holds 255 reasons. */
  private static final int OVERFLOW = 255;

  private final List<String> reasons = new ArrayList<>();
  private final Map<String, Integer> reasonIndex = new HashMap<>();
  private final Map<Integer, Partition> partitions = new HashMap<>();
  private final Map<Integer, Map<Long, String>> overflow = new HashMap<>();
  private boolean sealed;

  /**
   * How many records letters name that are not in {@code v2p.events} any more: {@code other} where
   * the read found another record at the position (or none: a transaction marker, say), {@code
   * pastEnd} beyond a partition's end (or in a partition it does not have), {@code beforeStart}
   * below its start (deleted).
   */
  public record Stale(long other, long pastEnd, long beforeStart) {
    public long total() {
      return other + pastEnd + beforeStart;
    }
  }

  /** One partition's letters: offsets, timestamps and reason indexes, in step. */
  private static final class Partition {
    long[] offsets = new long[16];
    long[] timestamps = new long[16];
    byte[] reasons = new byte[16];
    int size;
    long matched; // letters a read found their record for
    boolean ordered = true; // offsets so far strictly increasing: nothing to sort or drop

    void add(long offset, long timestamp, int reason) {
      if (size == offsets.length) {
        int grown = size + (size >> 1);
        offsets = Arrays.copyOf(offsets, grown);
        timestamps = Arrays.copyOf(timestamps, grown);
        reasons = Arrays.copyOf(reasons, grown);
      }
      if (size > 0 && offsets[size - 1] >= offset) {
        ordered = false;
      }
      offsets[size] = offset;
      timestamps[size] = timestamp;
      reasons[size] = (byte) reason;
      size++;
    }

    void seal() {
      if (!ordered) {
        sort();
        int kept = 0;
        for (int i = 0; i < size; i++) { // of equal records, the last read comes last
          if (i + 1 < size && offsets[i + 1] == offsets[i] && timestamps[i + 1] == timestamps[i]) {
            continue;
          }
          offsets[kept] = offsets[i];
          timestamps[kept] = timestamps[i];
          reasons[kept] = reasons[i];
          kept++;
        }
        size = kept;
        ordered = true;
      }
      if (offsets.length != size) {
        offsets = Arrays.copyOf(offsets, size);
        timestamps = Arrays.copyOf(timestamps, size);
        reasons = Arrays.copyOf(reasons, size);
      }
    }

    /**
     * Sorts the arrays by offset, then timestamp, stably (the JDK's object sort is a stable merge
     * sort): the boxed permutation is transient, ~20 bytes a letter while it lasts.
     */
    private void sort() {
      Integer[] order = new Integer[size];
      Arrays.setAll(order, i -> i);
      Arrays.sort(
          order,
          Comparator.<Integer>comparingLong(i -> offsets[i]).thenComparingLong(i -> timestamps[i]));
      long[] sortedOffsets = new long[size];
      long[] sortedTimestamps = new long[size];
      byte[] sortedReasons = new byte[size];
      for (int i = 0; i < size; i++) {
        sortedOffsets[i] = offsets[order[i]];
        sortedTimestamps[i] = timestamps[order[i]];
        sortedReasons[i] = reasons[order[i]];
      }
      offsets = sortedOffsets;
      timestamps = sortedTimestamps;
      reasons = sortedReasons;
    }

    /** The index of the first letter at or past {@code offset} ({@code size} if none). */
    int from(long offset) {
      int low = 0;
      int high = size;
      while (low < high) {
        int mid = (low + high) >>> 1;
        if (offsets[mid] < offset) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      return low;
    }

    /**
     * The index of the letter written for the record at {@code offset} with {@code timestamp} (one
     * that names its timestamp before one that names none), or -1.
     */
    int find(long offset, long timestamp) {
      int any = -1;
      for (int i = from(offset); i < size && offsets[i] == offset; i++) {
        if (timestamps[i] == timestamp) {
          return i;
        }
        any = timestamps[i] == ANY_TIME ? i : any;
      }
      return any;
    }
  }

  /**
   * Notes that a letter was written for the record at {@code partition}/{@code offset} with {@code
   * timestamp} ({@link #ANY_TIME} when the letter does not say), for {@code reason}.
   */
  public void add(int partition, long offset, long timestamp, String reason) {
    if (sealed) {
      throw new IllegalStateException("sealed");
    }
    Integer index = reasonIndex.get(reason);
    if (index == null && reasons.size() < OVERFLOW) {
      index = reasons.size();
      reasons.add(reason);
      reasonIndex.put(reason, index);
    }
    if (index == null) {
      overflow.computeIfAbsent(partition, p -> new HashMap<>()).put(offset, reason);
      index = OVERFLOW;
    }
    partitions.computeIfAbsent(partition, p -> new Partition()).add(offset, timestamp, index);
  }

  /** Sorts what was added, once: {@link #reason} answers from then on, {@link #add} is refused. */
  public LetterPositions seal() {
    if (!sealed) {
      partitions.values().forEach(Partition::seal);
      sealed = true;
    }
    return this;
  }

  /**
   * The reason of the last letter read that was written for the record at {@code partition}/{@code
   * offset} with {@code timestamp}, or null when none was (letters of another record there, one of
   * a topic since made again, count for nothing). Each record is to be asked for once a read: the
   * letters found are counted, for {@link #stale}.
   */
  public @Nullable String reason(int partition, long offset, long timestamp) {
    if (!sealed) {
      throw new IllegalStateException("not sealed");
    }
    Partition letters = partitions.get(partition);
    int at = letters == null ? -1 : letters.find(offset, timestamp);
    if (at < 0) {
      return null;
    }
    letters.matched++;
    int index = letters.reasons[at] & 0xff;
    return index == OVERFLOW ? overflow.get(partition).get(offset) : reasons.get(index);
  }

  /**
   * The letters whose record is not there any more, after a read of {@code v2p.events} that asked
   * {@link #reason} for every record from each partition's start ({@code starts}, 0 if absent) up
   * to its {@code cut} (excluded; the end if absent), of a log that ended at {@code ends} (its
   * partitions). Letters between a cut and the end were not looked for and are not counted.
   */
  public Stale stale(Map<Integer, Long> starts, Map<Integer, Long> cut, Map<Integer, Long> ends) {
    long other = 0;
    long pastEnd = 0;
    long beforeStart = 0;
    for (Map.Entry<Integer, Partition> entry : partitions.entrySet()) {
      Partition letters = entry.getValue();
      Long end = ends.get(entry.getKey());
      if (end == null) {
        pastEnd += letters.size;
        continue;
      }
      long start = Math.min(starts.getOrDefault(entry.getKey(), 0L), end);
      long read = Math.max(start, Math.min(cut.getOrDefault(entry.getKey(), end), end));
      int first = letters.from(start);
      beforeStart += first;
      pastEnd += letters.size - letters.from(end);
      other += letters.from(read) - first - letters.matched;
    }
    return new Stale(other, pastEnd, beforeStart);
  }

  /** How many records are named (each once, however many letters name it), once sealed. */
  public long size() {
    long size = 0;
    for (Partition letters : partitions.values()) {
      size += letters.size;
    }
    return size;
  }
}
