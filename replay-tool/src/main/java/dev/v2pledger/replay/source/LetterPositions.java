package dev.v2pledger.replay.source;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The positions of {@code v2p.events} that letters of {@code v2p.events.dlq} name, each with its
 * letter's reason, kept compact for millions of letters: per partition of {@code v2p.events} a
 * {@code long[]} of offsets and beside it a {@code byte[]} naming the reason in a table of the
 * distinct reasons (a handful: the projector writes {@code EventAdmission.Reason} names), about 9
 * bytes per letter where a {@code HashMap<Long, String>} took ~110. Letters are {@link #add}ed in
 * any order, then {@link #seal}ed once: each partition is sorted by offset (stably: a position
 * named twice keeps the reason of the letter read last, as a map's {@code put} did) and trimmed;
 * {@link #reason} then finds an offset by binary search. Reasons past the 255th distinct one (only
 * letters with made-up headers have so many) are kept exactly in a map beside. Not thread-safe.
 */
public final class LetterPositions {
  /** The reason index meaning "in {@link #overflow}": the table holds 255 reasons. */
  private static final int OVERFLOW = 255;

  private final List<String> reasons = new ArrayList<>();
  private final Map<String, Integer> reasonIndex = new HashMap<>();
  private final Map<Integer, Partition> partitions = new HashMap<>();
  private final Map<Integer, Map<Long, String>> overflow = new HashMap<>();
  private boolean sealed;

  /** One partition's letters: offsets and reason indexes, in step. */
  private static final class Partition {
    long[] offsets = new long[16];
    byte[] reasons = new byte[16];
    int size;
    boolean ordered = true; // offsets so far strictly increasing: nothing to sort or drop

    void add(long offset, int reason) {
      if (size == offsets.length) {
        int grown = size + (size >> 1);
        offsets = Arrays.copyOf(offsets, grown);
        reasons = Arrays.copyOf(reasons, grown);
      }
      if (size > 0 && offsets[size - 1] >= offset) {
        ordered = false;
      }
      offsets[size] = offset;
      reasons[size] = (byte) reason;
      size++;
    }

    void seal() {
      if (!ordered) {
        sort();
        int kept = 0;
        for (int i = 0; i < size; i++) { // of equal offsets, the last read comes last
          if (i + 1 < size && offsets[i + 1] == offsets[i]) {
            continue;
          }
          offsets[kept] = offsets[i];
          reasons[kept] = reasons[i];
          kept++;
        }
        size = kept;
        ordered = true;
      }
      if (offsets.length != size) {
        offsets = Arrays.copyOf(offsets, size);
        reasons = Arrays.copyOf(reasons, size);
      }
    }

    /**
     * Sorts both arrays by offset, stably (the JDK's object sort is a stable merge sort): the boxed
     * permutation is transient, ~20 bytes a letter while it lasts.
     */
    private void sort() {
      Integer[] order = new Integer[size];
      Arrays.setAll(order, i -> i);
      Arrays.sort(order, Comparator.comparingLong(i -> offsets[i]));
      long[] sortedOffsets = new long[size];
      byte[] sortedReasons = new byte[size];
      for (int i = 0; i < size; i++) {
        sortedOffsets[i] = offsets[order[i]];
        sortedReasons[i] = reasons[order[i]];
      }
      offsets = sortedOffsets;
      reasons = sortedReasons;
    }

    int find(long offset) {
      return Arrays.binarySearch(offsets, 0, size, offset);
    }
  }

  /** Notes that a letter names {@code partition}/{@code offset}, for {@code reason}. */
  public void add(int partition, long offset, String reason) {
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
    partitions.computeIfAbsent(partition, p -> new Partition()).add(offset, index);
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
   * The reason of the last letter read that names {@code partition}/{@code offset}, or null when
   * none does.
   */
  public @Nullable String reason(int partition, long offset) {
    if (!sealed) {
      throw new IllegalStateException("not sealed");
    }
    Partition letters = partitions.get(partition);
    int at = letters == null ? -1 : letters.find(offset);
    if (at < 0) {
      return null;
    }
    int index = letters.reasons[at] & 0xff;
    return index == OVERFLOW ? overflow.get(partition).get(offset) : reasons.get(index);
  }

  /** How many positions are named (each once, however many letters name it), once sealed. */
  public long size() {
    long size = 0;
    for (Partition letters : partitions.values()) {
      size += letters.size;
    }
    return size;
  }
}
