package dev.v2pledger.replay.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.v2pledger.replay.engine.Replayer;
import dev.v2pledger.replay.report.RebuildReport;
import dev.v2pledger.replay.source.JsonlEventSource;
import dev.v2pledger.replay.source.StopPoint;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

/**
 * Where a cold {@code rebuild --from-file} spends its time (not a test). Run it in a fresh JVM,
 * with the flags under study:
 *
 * <pre>
 * java [flags] -cp replay-tool/target/test-classes:replay-tool/target/replay-tool.jar \
 *     dev.v2pledger.replay.bench.ColdRebuildBreakdown replay-tool/target/bench/log-1000000.jsonl 4 [parsers]
 * </pre>
 *
 * It prints how long the JVM took to reach {@code main}, then, for each round, the replay (parse
 * and fold, as {@code rebuild} does) and the table report, each with its wall time, the process's
 * CPU time, the JIT's compile time and the GC's pauses. Round 1 is what a cold command pays; the
 * last round is the floor once the code is compiled.
 */
public final class ColdRebuildBreakdown {
  private static final OperatingSystemMXBean OS =
      (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
  private static final List<GarbageCollectorMXBean> GCS =
      ManagementFactory.getGarbageCollectorMXBeans();

  private ColdRebuildBreakdown() {}

  /** Wall, process CPU, JIT and GC counters at one moment. */
  private record Mark(long wallNanos, long cpuNanos, long jitMillis, long gcMillis, long gcs) {
    static Mark now() {
      long gcMillis = 0;
      long gcs = 0;
      for (GarbageCollectorMXBean gc : GCS) {
        gcMillis += Math.max(0, gc.getCollectionTime());
        gcs += Math.max(0, gc.getCollectionCount());
      }
      return new Mark(
          System.nanoTime(), OS.getProcessCpuTime(), JIT.getTotalCompilationTime(), gcMillis, gcs);
    }

    String since(Mark start) {
      return String.format(
          "%6d ms wall %6d ms CPU %6d ms JIT %5d ms GC (%d)",
          (wallNanos - start.wallNanos) / 1_000_000,
          (cpuNanos - start.cpuNanos) / 1_000_000,
          jitMillis - start.jitMillis,
          gcMillis - start.gcMillis,
          gcs - start.gcs);
    }
  }

  public static void main(String[] args) throws IOException {
    Mark first = Mark.now();
    long toMain = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    Path log = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    int parsers =
        args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    System.out.printf(
        "JVM start to main: %d ms (CPU so far %d ms, JIT %d ms); %d parser thread(s)%n",
        toMain, first.cpuNanos() / 1_000_000, first.jitMillis(), parsers);
    for (int round = 1; round <= rounds; round++) {
      Mark start = Mark.now();
      Replayer replayer = new Replayer();
      try (JsonlEventSource source = new JsonlEventSource(log, StopPoint.NONE, parsers)) {
        source.forEach(
            event -> {
              replayer.accept(event);
              return true;
            });
      }
      Mark replayed = Mark.now();
      int chars = RebuildReport.table(replayer, false).length();
      Mark reported = Mark.now();
      double seconds = (replayed.wallNanos() - start.wallNanos()) / 1e9;
      System.out.printf(
          "round %d: replay %s = %,.0f events/s%n         report %s (%,d chars)%n",
          round,
          replayed.since(start),
          replayer.events() / seconds,
          reported.since(replayed),
          chars);
    }
  }
}
