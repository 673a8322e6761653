package dev.v2pledger.schema.testing;

/** What the benchmarks of several modules read of the heap. */
public final class Heap {
  private Heap() {}

  /**
   * Used heap after full collections, in bytes: the least of four readings, each after {@code
   * System.gc()} and 200 ms for the collector to finish, so that garbage left by a slow collector
   * is not counted.
   */
  public static long usedAfterGc() throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
      Runtime rt = Runtime.getRuntime();
      used = Math.min(used, rt.totalMemory() - rt.freeMemory());
    }
    return used;
  }
}
