package dev.v2pledger.devstack.run;

import dev.v2pledger.devstack.workload.WorkloadShape;
import java.util.Locale;

/**
 * The heap a run's workload takes before anything is played: {@code Generator} makes the whole
 * script (every step and event, the warm-up's too) in memory first. A workload far larger than the
 * heap does not fail there: the JVM spends its time collecting garbage, prints nothing, and does
 * not even stop on SIGTERM. So {@code devstack run} refuses one that needs more than half the heap
 * (the broker, the clients, the oracle and the report need the rest).
 */
public final class ScriptMemory {
  /**
   * Heap per migration of a generated script, rounded up: 64 instances and 100 000 migrations
   * (about 1.2 M events) took 1.9 GB.
   */
  static final long BYTES_PER_MIGRATION = 20_000;

  /** Heap per instance, rounded up: 100 000 instances and 100 migrations took 0.84 GB. */
  static final long BYTES_PER_INSTANCE = 10_000;

  /** A warm-up of N events runs about N / 10 migrations ({@link ScriptSource#warmup}). */
  private static final int WARMUP_EVENTS_PER_MIGRATION = 10;

  private ScriptMemory() {}

  /** About how many bytes of heap the scripts of {@code workload} and its warm-up take. */
  static long estimate(WorkloadShape workload, int warmupEvents) {
    long migrations = (long) workload.migrations() + warmupEvents / WARMUP_EVENTS_PER_MIGRATION;
    return migrations * BYTES_PER_MIGRATION + (long) workload.instances() * BYTES_PER_INSTANCE;
  }

  /**
   * Refuses a workload whose scripts would take more than half of {@code maxHeapBytes} ({@link
   * Runtime#maxMemory()}).
   *
   * @throws IllegalArgumentException naming the options, the estimate and the heap
   */
  public static void check(WorkloadShape workload, int warmupEvents, long maxHeapBytes) {
    long needed = estimate(workload, warmupEvents);
    if (needed > maxHeapBytes / 2) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "--instances %d, --migrations %d and --warmup %d: the workload is generated whole"
                  + " before it is played, about %s, more than half of this JVM's heap (%s): give"
                  + " smaller values, or more heap (java -Xmx...)",
              workload.instances(),
              workload.migrations(),
              warmupEvents,
              size(needed),
              size(maxHeapBytes)));
    }
  }

  private static String size(long bytes) {
    return bytes >= 1L << 30
        ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
        : String.format(Locale.ROOT, "%d MB", bytes >> 20);
  }
}
