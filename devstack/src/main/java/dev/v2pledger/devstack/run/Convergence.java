package dev.v2pledger.devstack.run;

import dev.v2pledger.applier.xde.XdeMapping;
import dev.v2pledger.devstack.report.Verdict;
import dev.v2pledger.devstack.sled.Sled;
import dev.v2pledger.devstack.stack.AckWatch;
import dev.v2pledger.devstack.stack.KafkaStack;
import dev.v2pledger.runtime.time.Durations;
import dev.v2pledger.schema.Topics;
import dev.v2pledger.schema.domain.SledId;
import dev.v2pledger.schema.domain.Vip;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * How a run's end went: whether the projectors caught up with {@code v2p.events}, every sled's
 * watermark passed the end of {@code v2p.mappings}, and every table equals the oracle's, each
 * before the deadline, and how long that took after the workload. Also the wait before a run: every
 * component ready.
 */
record Convergence(boolean projected, boolean acked, boolean tables, Duration after) {
  boolean all() {
    return projected && acked && tables;
  }

  /** Waits until the projectors and every sled are ready; fails naming what is not. */
  static void awaitReady(KafkaStack kafka, List<Sled> sleds, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String problem = "starting";
    while (System.nanoTime() < deadline) {
      problem = kafka.projectorsProblem();
      for (Sled sled : sleds) {
        if (problem == null) {
          String sledProblem = sled.readinessProblem();
          problem = sledProblem == null ? null : "sled " + sled.spec().id() + ": " + sledProblem;
        }
      }
      if (problem == null) {
        return;
      }
      Thread.sleep(50);
    }
    throw new RunFailedException(
        "not ready within " + Durations.readable(timeout) + ": " + problem);
  }

  /** Waits for the three conditions in turn, each until {@code timeout} after the start. */
  static Convergence await(
      KafkaStack kafka,
      List<Sled> sleds,
      AckWatch acks,
      List<SledId> sledIds,
      Map<Vip, XdeMapping> expected,
      Duration timeout,
      boolean remoteSleds)
      throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    Map<Integer, Long> eventsEnd = kafka.endOffsets(Topics.EVENTS);
    boolean projected = until(() -> caughtUp(kafka.projectorOffsets(), eventsEnd), deadline, 20);
    Map<Integer, Long> mappingsEnd = kafka.endOffsets(Topics.MAPPINGS);
    boolean acked = projected && until(() -> acks.covered(sledIds, mappingsEnd), deadline, 10);
    boolean tables =
        until(
            () -> Verdict.agree(RunFigures.tables(sleds), expected, LedgerRun.EXCLUDED),
            deadline,
            remoteSleds ? 100 : 10);
    return new Convergence(projected, acked, tables, Duration.ofNanos(System.nanoTime() - start));
  }

  /** Whether {@code committed} offsets reach {@code end} in every partition that has records. */
  static boolean caughtUp(Map<Integer, Long> committed, Map<Integer, Long> end) {
    for (Map.Entry<Integer, Long> partition : end.entrySet()) {
      if (partition.getValue() > 0
          && committed.getOrDefault(partition.getKey(), 0L) < partition.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** Polls {@code condition} every {@code pollMillis} until it holds or the deadline passes. */
  static boolean until(BooleanSupplier condition, long deadline, long pollMillis)
      throws InterruptedException {
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (System.nanoTime() >= deadline) {
        return false;
      }
      Thread.sleep(pollMillis);
    }
  }
}
