package dev.v2pledger.devstack.stack;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where this JVM's CPU went during the measured window, by component, from each thread's CPU time
 * ({@link ThreadMXBean}) and the process's: the projectors, the appliers, the embedded broker, the
 * workload and devstack's own threads, the hop probes, and what no Java thread accounts for (the
 * garbage collector and the JIT compilers). A client thread of Kafka ({@code
 * kafka-producer-network-thread | <client id>}) counts for the component its client id names.
 */
public final class CpuShares {
  /** The components, in report order. */
  public static final String[] COMPONENTS = {
    "projectors", "appliers", "broker", "workload", "probes", "gc and jit"
  };

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<Long, Long> startCpu = new HashMap<>();
  private final Map<Long, String> names = new HashMap<>();
  private final long startProcess;
  private final long startWall = System.nanoTime();

  private CpuShares() {
    startProcess = processCpu();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        if (cpu >= 0) {
          startCpu.put(info.getThreadId(), cpu);
          names.put(info.getThreadId(), info.getThreadName());
        }
      }
    }
  }

  /** Starts counting now; empty results where the JVM cannot measure thread CPU. */
  public static CpuShares open() {
    return new CpuShares();
  }

  /**
   * The share of one core each component used since {@link #open()} (1.0 = one core busy all the
   * window), in {@link #COMPONENTS} order; empty when thread CPU time is not available.
   */
  public Map<String, Double> close() {
    if (!threads.isThreadCpuTimeSupported() || startProcess < 0) {
      return Map.of();
    }
    double wall = System.nanoTime() - startWall;
    Map<String, Double> out = new LinkedHashMap<>();
    for (String component : COMPONENTS) {
      out.put(component, 0.0);
    }
    long threadsTotal = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(info.getThreadId());
      if (cpu < 0) {
        continue;
      }
      long used = cpu - startCpu.getOrDefault(info.getThreadId(), 0L);
      threadsTotal += used;
      out.merge(componentOf(info.getThreadName()), used / wall, Double::sum);
    }
    // what no live thread accounts for: the collector, the compilers, threads that ended
    long gcAndJit = processCpu() - startProcess - threadsTotal;
    out.put("gc and jit", Math.max(0, gcAndJit) / wall);
    return out;
  }

  /** The component a thread works for, by its name. */
  static String componentOf(String thread) {
    int bar = thread.indexOf("| ");
    String owner = bar >= 0 ? thread.substring(bar + 2) : thread;
    if (owner.startsWith("v2p-projector") || owner.startsWith("devstack-projector")) {
      return "projectors";
    }
    if (owner.startsWith("sled-applier")) {
      return "appliers";
    }
    if (owner.startsWith("devstack-hop") || owner.startsWith("devstack-conversations")) {
      return "probes"; // the run's own measuring: hop probes, guests' conversations
    }
    if (owner.startsWith("devstack") || owner.equals("main") || owner.startsWith("ForkJoinPool")) {
      return "workload";
    }
    return "broker";
  }

  private static long processCpu() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
