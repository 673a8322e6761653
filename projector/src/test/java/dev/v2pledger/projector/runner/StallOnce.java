package dev.v2pledger.projector.runner;

import dev.v2pledger.projector.testing.Harness;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A probe that stalls the projector once (a long GC pause, a frozen VM...): at {@code point}, once
 * armed and its condition holds, until {@link #wake()}. It logs every transaction call as "method
 * transactionalId", so a test can tell what the projector did with the stalled transaction.
 */
final class StallOnce implements Probe {
  private final Point point;
  private final CountDownLatch stalled = new CountDownLatch(1);
  private final CountDownLatch wake = new CountDownLatch(1);
  private final AtomicReference<@Nullable BooleanSupplier> armed = new AtomicReference<>();
  private final AtomicReference<String> begun = new AtomicReference<>();
  private final AtomicReference<String> stalledTransaction = new AtomicReference<>();
  private final List<String> calls = new ArrayList<>();
  private int callsAtStall = -1;

  StallOnce(Point point) {
    this.point = point;
  }

  /** Stalls at the next pass of the point at which {@code when} holds. */
  void arm(BooleanSupplier when) {
    armed.set(when);
  }

  /**
   * Stalls {@code projector} in its next transaction that wrote mappings, so that its aborted
   * records can be compared with its successor's.
   */
  void armInATransactionThatWroteMappings(Projector projector, Harness harness) {
    String mappings = harness.topics().mappings();
    double before = projector.metrics().count("written", mappings);
    arm(() -> projector.metrics().count("written", mappings) > before);
  }

  boolean awaitStalled() throws InterruptedException {
    return stalled.await(30, TimeUnit.SECONDS);
  }

  void wake() {
    wake.countDown();
  }

  /** The transactional id of the producer whose transaction was open at the stall. */
  String stalledTransaction() {
    return stalledTransaction.get();
  }

  /** Every transaction call heard so far. */
  synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /** The transaction calls made since the stall. */
  synchronized List<String> callsSinceStall() {
    return callsAtStall < 0 ? List.of() : List.copyOf(calls.subList(callsAtStall, calls.size()));
  }

  @Override
  public synchronized void transactionCall(String transactionalId, String method) {
    calls.add(method + " " + transactionalId);
    if (method.equals("beginTransaction")) {
      begun.set(transactionalId);
    }
  }

  @Override
  public void at(Point reached) {
    BooleanSupplier when = armed.get();
    if (reached != point
        || when == null
        || !when.getAsBoolean()
        || !armed.compareAndSet(when, null)) {
      return;
    }
    synchronized (this) {
      stalledTransaction.set(begun.get());
      callsAtStall = calls.size();
    }
    stalled.countDown();
    try {
      wake.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
