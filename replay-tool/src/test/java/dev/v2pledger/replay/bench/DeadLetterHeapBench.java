package dev.v2pledger.replay.bench;

import dev.v2pledger.replay.source.LetterPositions;
import dev.v2pledger.schema.testing.Heap;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Heap per dead letter (not a test): what {@code DeadLettered} keeps for N letters of {@code
 * v2p.events.dlq}, the map it kept before (partition to offset to reason, the baseline, in the same
 * JVM; each letter's reason a String of its own, as read from the header; it kept no timestamps)
 * beside {@link LetterPositions} (which keeps each letter's record timestamp too). Letters name 6
 * partitions; each round adds them in log order (as the projector writes them), then shuffled
 * (sorted once when sealed). Run with
 *
 * <pre>
 * mvn -B -o -pl replay-tool -am process-test-classes -Pbench -Dbench=DeadLetterHeapBench \
 *     -Dbench.args=1000000
 * </pre>
 */
public final class DeadLetterHeapBench {
  private static final byte[][] REASONS = {
    "UNKNOWN_SCHEMA".getBytes(StandardCharsets.UTF_8), "CORRUPT".getBytes(StandardCharsets.UTF_8)
  };

  private static final long BASE_TIME = 1_765_000_000_000L;

  private DeadLetterHeapBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    long[][] letters = letters(n, new Random(42));
    for (int round = 1; round <= 3; round++) {
      for (boolean shuffled : new boolean[] {false, true}) {
        long[][] order = shuffled ? shuffled(letters, new Random(round)) : letters;
        System.out.printf(
            "round %d, %s: map (before) %.1f B/letter, %s; LetterPositions %.1f B/letter, %s%n",
            round,
            shuffled ? "shuffled   " : "in log order",
            perLetter(() -> asMap(order), n),
            timed(() -> asMap(order), order),
            perLetter(() -> compact(order), n),
            timed(() -> compact(order), order));
      }
    }
  }

  /**
   * n letters: partition, offset (increasing within a partition), reason, the record's timestamp
   * (log-append time, increasing).
   */
  private static long[][] letters(int n, Random random) {
    long[] next = new long[6];
    long[][] letters = new long[n][];
    for (int i = 0; i < n; i++) {
      int partition = random.nextInt(6);
      next[partition] += 1 + random.nextInt(50); // some events between letters
      letters[i] =
          new long[] {
            partition, next[partition], random.nextInt(10) == 0 ? 1 : 0, BASE_TIME + 3L * i
          };
    }
    return letters;
  }

  private static long[][] shuffled(long[][] letters, Random random) {
    long[][] copy = letters.clone();
    for (int i = copy.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long[] swap = copy[i];
      copy[i] = copy[j];
      copy[j] = swap;
    }
    return copy;
  }

  /** A letter's reason as {@code DeadLettered} reads it: a new String of the header's bytes. */
  private static String reason(long[] letter) {
    return new String(REASONS[(int) letter[2]], StandardCharsets.UTF_8);
  }

  private static Object asMap(long[][] letters) {
    Map<Integer, Map<Long, String>> reasons = new HashMap<>();
    for (long[] letter : letters) {
      reasons.computeIfAbsent((int) letter[0], p -> new HashMap<>()).put(letter[1], reason(letter));
    }
    return reasons;
  }

  private static Object compact(long[][] letters) {
    LetterPositions positions = new LetterPositions();
    for (long[] letter : letters) {
      positions.add((int) letter[0], letter[1], letter[3], reason(letter));
    }
    return positions.seal();
  }

  /** Used heap after GCs with what {@code build} made held, less before, per letter. */
  private static double perLetter(Supplier<Object> build, int n) throws InterruptedException {
    long before = Heap.usedAfterGc();
    Object held = build.get();
    long after = Heap.usedAfterGc();
    if (held.hashCode() == 42) { // keeps it reachable until measured
      System.out.print("");
    }
    return (after - before) / (double) n;
  }

  /** Time to build, and to look every letter up again (and as many absent offsets). */
  private static String timed(Supplier<Object> build, long[][] letters) {
    long start = System.nanoTime();
    Object held = build.get();
    long built = System.nanoTime();
    long found = 0;
    for (long[] letter : letters) {
      for (long offset = letter[1]; offset >= letter[1] - 1; offset--) {
        String reason =
            held instanceof LetterPositions positions
                ? positions.reason((int) letter[0], offset, letter[3])
                : asMapLookup(held, (int) letter[0], offset);
        found += reason == null ? 0 : 1;
      }
    }
    long looked = System.nanoTime();
    return String.format(
        "built in %d ms, %.0f ns/lookup (%d found)",
        (built - start) / 1_000_000, (looked - built) / (2.0 * letters.length), found);
  }

  @SuppressWarnings("unchecked")
  private static String asMapLookup(Object held, int partition, long offset) {
    Map<Long, String> offsets = ((Map<Integer, Map<Long, String>>) held).get(partition);
    return offsets == null ? null : offsets.get(offset);
  }
}
